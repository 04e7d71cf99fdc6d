namespace Matrix.Stack.Synapse;

/// <summary>A secret Synapse reads from a file named by a <c>*_path</c> option, never from the YAML itself.</summary>
/// <param name="SecretName">The <see cref="Secrets.SecretName"/>, also the file's name in the secrets folder.</param>
/// <param name="PathOption">The homeserver.yaml option that points at the file.</param>
public sealed record SynapseSecretFile(string SecretName, string PathOption);
