namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// What the whole stack needs on this machine (podman, s3rver, the local images). Outside CI a missing one skips the
/// whole-stack tests, naming it and how to get it; in CI (<c>CI=true</c>, which .ci/run's callers set) the same is a
/// failure, so a CI machine that lost a prerequisite cannot pass by skipping.
/// </summary>
public static class WholeStackRequirement
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <param name="missing">What is missing and how to get it, or null when nothing is.</param>
    public static void Require(string? missing)
    {
        if (missing is null)
        {
            return;
        }
        if (InCi)
        {
            Assert.Fail($"CI=true and the whole stack cannot run: {missing}");
        }
        Assert.Skip($"the whole stack cannot run here: {missing}");
    }
}
