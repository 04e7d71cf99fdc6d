using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// Distinctive secret values for rendering: long enough that finding one in a file cannot be chance, and holding
/// characters that break careless quoting (shell quotes and <c>$</c>, pgpass's <c>:</c> and <c>\</c>).
/// </summary>
public static class SynapseTestSecrets
{
    public static IReadOnlyDictionary<string, string> Values { get; } = SecretName.All.ToDictionary(
        name => name,
        name => name switch
        {
            SecretName.PostgresPassword => @"pg:pa\ss:w0rd-Qh7Lx2",
            SecretName.SigningKey => TestSigningKey.Value,
            SecretName.MacaroonSecretKey => "mac'aroon $HOME \"Zt9Kq4\" `id`",
            _ => $"{name}-value-R8vW3n",
        });

    public static StackSecrets Secrets { get; } = new(Values);
}
