namespace Matrix.Router.Configuration;

/// <summary>The router's configuration is unusable; <see cref="Problems"/> name each bad setting.</summary>
public sealed class RouterConfigurationException(IReadOnlyList<string> problems)
    : Exception("Matrix.Router configuration is invalid:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
