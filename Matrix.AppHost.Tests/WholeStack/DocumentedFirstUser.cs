using System.Diagnostics;
using System.Text.Json.Nodes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Cli.Registration;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// README's first-user command, as written (only the documented default port replaced with the test stack's router port), run as its own
/// <c>matrix-stack</c> process. Its home folder is a scratch one whose Aspire secrets file holds what a local <c>dotnet run</c>
/// of the AppHost persists (<c>Parameters:registration-shared-secret</c>), so the command finds the secret where a run
/// leaves it and the developer's own secrets are never read or written.
/// </summary>
public static class DocumentedFirstUser
{
    private const string Prefix = "dotnet run --project Matrix.Stack.Cli -- ";
    private static readonly string Placeholder = $"http://localhost:{Routing.RouterHostPort.Default}";

    /// <summary>The arguments of README's <c>create-user</c> line, its URL pointed at <paramref name="routerUrl"/>.</summary>
    public static IReadOnlyList<string> Arguments(Uri routerUrl)
    {
        var command = Command(routerUrl.Port);
        Assert.True(command.StartsWith(Prefix + "create-user ", StringComparison.Ordinal), $"README.md's first-user command is not `{Prefix}create-user ...`: {command}");
        return command[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>README's first-user command as written, its router port replaced by <paramref name="routerPort"/>.</summary>
    public static string Command(int routerPort)
    {
        var command = ReadmeCommands.Single(ReadmeCommands.FirstUser);
        Assert.Contains(Placeholder, command, StringComparison.Ordinal);
        return command.Replace(Placeholder, $"http://localhost:{routerPort}", StringComparison.Ordinal);
    }

    /// <summary>
    /// The CLI as its own build wrote it (the project reference builds it first, in the same configuration): its copy in
    /// this project's output lacks the Microsoft.Extensions.Configuration assemblies, which this project takes from the
    /// ASP.NET Core shared framework that the CLI does not run on.
    /// </summary>
    private static string CliAssembly
    {
        get
        {
            var root = Infrastructure.AppHostPaths.Root;
            var output = Path.GetRelativePath(Path.Combine(root, "Matrix.AppHost.Tests"), AppContext.BaseDirectory);
            var path = Path.Combine(root, "Matrix.Stack.Cli", output, "matrix-stack.dll");
            Assert.True(File.Exists(path), $"{path} is not built (dotnet build Matrix.sln builds it)");
            return path;
        }
    }

    /// <summary>Runs the CLI with <paramref name="arguments"/>; the AppHost's user secrets hold <paramref name="registrationSecret"/>.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyList<string> arguments, string registrationSecret, CancellationToken ct)
    {
        var home = Directory.CreateTempSubdirectory("matrix-first-user-home-").FullName;
        try
        {
            // Where Aspire 17 keeps a local run's secrets (Aspire.Hosting's AspireSecretsPathHelper): ~/.aspire/secrets/<id>/Development.json.
            var store = Path.Combine(home, ".aspire", "secrets", AppHostUserSecrets.UserSecretsId);
            Directory.CreateDirectory(store);
            var key = $"Parameters:{MatrixSecrets.ParameterName(SecretName.RegistrationSharedSecret)}";
            await File.WriteAllTextAsync(Path.Combine(store, "Development.json"), new JsonObject { [key] = registrationSecret }.ToJsonString(), ct);

            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(CliAssembly);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["HOME"] = home;
            start.Environment.Remove("APPDATA");
            start.Environment.Remove(AppHostUserSecrets.SecretsFileVariable);
            start.Environment.Remove(StackSecrets.EnvironmentVariable(SecretName.RegistrationSharedSecret));
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
