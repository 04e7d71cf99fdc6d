using Matrix.Stack.Secrets;

namespace Matrix.Stack.Cli.Registration;

/// <summary>
/// Synapse's <c>registration_shared_secret</c> and where it came from (named in messages, never the value). Looked up as
/// render does, the environment over the secrets file, and without <c>--secrets</c> in the AppHost's secrets
/// (<see cref="AppHostUserSecrets"/>), where a local <c>dotnet run</c> generated it.
/// </summary>
public sealed class RegistrationSecret
{
    private RegistrationSecret(string value, string source)
    {
        Value = value;
        Source = source;
    }

    public string Value { get; }

    /// <summary>Where the value was read, for messages: a variable, a file, or the AppHost's secrets.</summary>
    public string Source { get; }

    public override string ToString() => $"registration shared secret from {Source} (value hidden)";

    /// <exception cref="UsageException">No source holds the secret; the message names each place looked at.</exception>
    public static RegistrationSecret Find(string? secretsFile, Func<string, string?> environment)
    {
        const string name = SecretName.RegistrationSharedSecret;
        var variable = StackSecrets.EnvironmentVariable(name);
        if (environment(variable) is { Length: > 0 } fromEnvironment)
        {
            return new(fromEnvironment, $"the environment variable {variable}");
        }
        if (secretsFile is not null)
        {
            var value = DeploymentInputs.ReadFile(secretsFile, "--secrets").LastOrDefault(p => p.Key == name).Value;
            return string.IsNullOrWhiteSpace(value)
                ? throw new UsageException($"--secrets file '{secretsFile}' has no {name}")
                : new(value, $"--secrets {secretsFile}");
        }
        var parameter = name.Replace('_', '-');
        return AppHostUserSecrets.Read(parameter, environment) is { } stored
            ? new(stored.Value, $"the AppHost's secrets ({stored.File})")
            : throw new UsageException(
                $"no registration shared secret: neither {AppHostUserSecrets.FilePath(environment)} nor {AppHostUserSecrets.LegacyFilePath} has " +
                $"{AppHostUserSecrets.ParameterKey(parameter)} (it is written when `dotnet run --project Matrix.AppHost` first starts); " +
                $"give --secrets FILE with {name}, or set {variable}");
    }
}
