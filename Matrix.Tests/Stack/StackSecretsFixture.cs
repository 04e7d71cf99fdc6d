using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack;

/// <summary>Distinctive secret values, so a test can search generated files for any of them.</summary>
public static class StackSecretsFixture
{
    public static StackSecrets All() => new(SecretName.All.ToDictionary(name => name, name => name == SecretName.SigningKey ? TestSigningKey.Value : $"test-secret-{name}-9f3c"));

    public static StackSecrets AllBut(string missing) =>
        new(SecretName.All.Where(n => n != missing).ToDictionary(name => name, name => name == SecretName.SigningKey ? TestSigningKey.Value : $"test-secret-{name}-9f3c"));
}
