namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// What the whole stack needs on this machine (podman, s3rver, the local images). Outside CI a missing one skips the
/// whole-stack tests, naming it and how to get it; in CI (<c>CI=true</c>, which .ci/run's callers set) the same is a
/// failure, so a CI machine that lost a prerequisite cannot pass by skipping. The fixture keeps the reason and each
/// test skips with it (<see cref="WholeStackFixture.App"/>): a skip thrown by a class fixture is reported as a failure.
/// </summary>
public static class WholeStackRequirement
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <param name="missing">What is missing and how to get it, or null when nothing is.</param>
    /// <returns>The reason to skip, or null when nothing is missing; in CI a missing piece fails here instead.</returns>
    public static string? Check(string? missing)
    {
        if (missing is null)
        {
            return null;
        }
        if (InCi)
        {
            Assert.Fail($"CI=true and the whole stack cannot run: {missing}");
        }
        return $"the whole stack cannot run here: {missing}";
    }
}
