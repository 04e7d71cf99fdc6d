using System.Text.RegularExpressions;
using Matrix.Stack.Cli;
using Matrix.Stack.Cli.Registration;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Stack;

/// <summary>
/// <c>matrix-stack create-user</c> where it must refuse, each refusal naming its cause, against a real router and real
/// sockets. Registering against a real Synapse is Matrix.AppHost.Tests' whole-stack test (no Synapse runs here).
/// </summary>
public sealed partial class CreateUserCommandTests : IDisposable
{
    private const string Secret = "a-registration-secret-for-tests";
    private readonly string _root = Directory.CreateTempSubdirectory("matrix-create-user-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(string input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(new StringReader(input), output, error);
        // The command with the environment the test chooses, inside the real root command (parsing, exit codes).
        var root = new System.CommandLine.RootCommand { CreateUserCommand.Create(console, name => environment?.GetValueOrDefault(name)) };
        var parsed = root.Parse(args);
        Assert.Empty(parsed.Errors);
        var code = await parsed.InvokeAsync(new() { Output = output, Error = error, EnableDefaultExceptionHandler = false }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private string SecretsFile(string content)
    {
        var path = Path.Combine(_root, "secrets.yaml");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_router_that_does_not_answer_is_named_with_its_url()
    {
        var url = $"http://127.0.0.1:{FreePort.Tcp()}";
        var (code, output, error) = await RunAsync("", null, "create-user", "--url", url, "--user", "alice", "--secrets", SecretsFile($"registration_shared_secret: {Secret}\n"));
        Assert.Equal(ExitCodes.Problems, code);
        Assert.Contains($"cannot reach {url}", error, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", error, StringComparison.Ordinal);
        Assert.DoesNotContain("password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_routers_admin_allow_list_is_named_when_it_refuses_this_address()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:AdminAllowList"] = "none" });
        var (code, _, error) = await RunAsync("", null, "create-user", "--url", router.BaseUrl, "--user", "alice", "--secrets", SecretsFile($"registration_shared_secret: {Secret}\n"));
        Assert.Equal(ExitCodes.Problems, code);
        Assert.Contains("403 M_FORBIDDEN", error, StringComparison.Ordinal);
        Assert.Contains("Router:AdminAllowList", error, StringComparison.Ordinal);
        Assert.Empty(layout["main"].Received);
    }

    [Fact]
    public async Task A_secrets_file_without_the_registration_secret_is_a_usage_error_naming_the_file()
    {
        var file = SecretsFile("form_secret: x\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var code = StackCommandLine.Run(["create-user", "--url", "http://127.0.0.1:1", "--user", "alice", "--secrets", file], new CliConsole(new StringReader(""), output, error));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--secrets file '{file}' has no registration_shared_secret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@alice:example.org")]
    [InlineData("alice:example.org")]
    public void A_full_matrix_id_is_refused_before_anything_is_sent(string user)
    {
        var error = new StringWriter();
        var code = StackCommandLine.Run(["create-user", "--url", "http://127.0.0.1:1", "--user", user], new CliConsole(new StringReader(""), new StringWriter(), error));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("must be a localpart", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_variable_overrides_the_secrets_file_and_is_named_as_the_source()
    {
        var secret = RegistrationSecret.Find(SecretsFile($"registration_shared_secret: from-file\n"),
            name => name == "MATRIX_SECRET_REGISTRATION_SHARED_SECRET" ? "from-environment" : null);
        Assert.Equal("from-environment", secret.Value);
        Assert.Contains("MATRIX_SECRET_REGISTRATION_SHARED_SECRET", secret.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("from-environment", secret.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_password_on_standard_input_is_refused_and_nothing_is_sent()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        var error = new StringWriter();
        var code = StackCommandLine.Run(
            ["create-user", "--url", router.BaseUrl, "--user", "alice", "--password-stdin", "--secrets", SecretsFile($"registration_shared_secret: {Secret}\n")],
            new CliConsole(new StringReader("\n"), new StringWriter(), error));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--password-stdin", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(layout["main"].Received);
    }

    [Fact]
    public void TheSecretALocalRunGeneratedIsReadFromAspiresSecretsFile()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("aspire-secrets-").FullName, "Development.json");
        try
        {
            File.WriteAllText(file, "{\"Parameters:registration-shared-secret\": \"from-aspire\"}");
            var secret = RegistrationSecret.Find(null, name => name == AppHostUserSecrets.SecretsFileVariable ? file : null);
            Assert.Equal("from-aspire", secret.Value);
            Assert.Contains(file, secret.Source, StringComparison.Ordinal);

            if (File.Exists(AppHostUserSecrets.LegacyFilePath))
            {
                return; // Aspire 13's user secrets of this machine would answer instead; the message is not checked here.
            }
            File.WriteAllText(file, "{}");
            var missing = Assert.Throws<UsageException>(() => RegistrationSecret.Find(null, name => name == AppHostUserSecrets.SecretsFileVariable ? file : null));
            Assert.Contains($"neither {file} nor", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void The_user_secrets_id_is_the_apphosts()
    {
        var project = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Matrix.AppHost", "Matrix.AppHost.csproj"));
        Assert.Equal(AppHostUserSecrets.UserSecretsId, UserSecretsId().Match(project).Groups[1].Value);
    }

    [GeneratedRegex("<UserSecretsId>([^<]+)</UserSecretsId>")]
    private static partial Regex UserSecretsId();
}
