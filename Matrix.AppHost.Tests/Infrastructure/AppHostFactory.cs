using Matrix.AppHost.Secrets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>
/// Runs the real AppHost entry point (<c>Projects.Matrix_AppHost</c>) up to <c>Build()</c> and hands back its builder,
/// so tests see exactly the model <c>dotnet run</c> would start. Secret parameters get known test values, so nothing
/// is generated into the developer's user secrets and tests can use them (the registration shared secret).
/// </summary>
public static class AppHostFactory
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The value every secret parameter is given: <c>test-&lt;parameter&gt;</c>.</summary>
    public static string SecretValue(string parameterName) => "test-" + parameterName;

    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(string preset, params string[] extraArguments)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        string[] arguments = [$"--Matrix:Preset={preset}", .. SecretArguments(), .. extraArguments];
        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.Matrix_AppHost>(arguments, cancellation.Token);
    }

    /// <summary>The signing key every test deployment gets, in Synapse's key file format (algorithm, version, unpadded base64 of a 32-byte seed).</summary>
    public const string SigningKey = "ed25519 a_test AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    public static IEnumerable<string> SecretParameterNames() => SecretName.All.Select(MatrixSecrets.ParameterName);

    private static IEnumerable<string> SecretArguments() =>
        SecretName.All.Select(name => name == SecretName.SigningKey
            ? $"--Parameters:{MatrixSecrets.ParameterName(name)}={SigningKey}"
            : $"--Parameters:{MatrixSecrets.ParameterName(name)}={SecretValue(MatrixSecrets.ParameterName(name))}");
}
