namespace Matrix.Stack.Synapse;

/// <summary>A secret Synapse reads from a file named by a <c>*_path</c> option, never from the YAML itself.</summary>
/// <param name="SecretName">The <see cref="Secrets.SecretName"/>, also the file's name in the secrets folder.</param>
/// <param name="PathOption">The homeserver.yaml option that points at the file.</param>
/// <param name="Section">The mapping the option sits in (<c>redis</c>), or null for a top-level option.</param>
public sealed record SynapseSecretFile(string SecretName, string PathOption, string? Section = null)
{
    /// <summary>The option as Synapse's documentation writes it: <c>form_secret_path</c>, <c>redis.password_path</c>.</summary>
    public string Option => Section is null ? PathOption : $"{Section}.{PathOption}";
}
