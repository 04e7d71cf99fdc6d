using Matrix.Stack.Cli;
using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack;

public class CliTests
{
    private static (int Code, string Output, string Error) Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = StackCommandLine.Run(args, new CliConsole(new StringReader(input), output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void ExplainPrintsOneJsonLine()
    {
        var (code, output, _) = Run("", "explain", "--preset", "full", "PUT", "/_matrix/federation/v1/send/123");
        Assert.Equal(0, code);
        Assert.Equal("{\"pool\":\"federation-inbound\",\"balance\":\"federation-origin\",\"fallback\":\"main\"}", output.Trim());
    }

    [Fact]
    public void ExplainReadsAnAccessLogFromStandardInput()
    {
        var input = "GET\t/_matrix/client/v3/sync?since=s1\nPOST\t/_matrix/client/v3/keys/upload\n\nGET\t/_matrix/media/v3/download/a/b\n";
        var (code, output, _) = Run(input, "explain", "--preset", "specialized", "--set", "workers.synchrotron=4", "-");
        Assert.Equal(0, code);
        Assert.Equal(
            ["{\"pool\":\"synchrotron\",\"balance\":\"access-token\",\"fallback\":\"main\"}",
             "{\"pool\":\"main\",\"balance\":\"least-busy\",\"fallback\":null}",
             "{\"pool\":\"media-repository\",\"balance\":\"least-busy\",\"fallback\":null}"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ExplainReportsMalformedLinesAndKeepsGoing()
    {
        var (code, output, error) = Run("nonsense\nGET\t/_matrix/client/versions\n", "explain", "--preset", "full", "-");
        Assert.Equal(ExitCodes.Problems, code);
        Assert.Contains("line 1", error);
        Assert.Contains("client-reader", output);
    }

    [Fact]
    public void ValidatePrintsEveryProblemAndExitsOne()
    {
        var (code, _, error) = Run("", "validate", "--preset", "full", "--no-secrets", "--set", "workers.typing=2", "--set", "serverName=Nope!");
        Assert.Equal(1, code);
        Assert.Contains("workers.typing:", error);
        Assert.Contains("serverName:", error);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        Assert.Equal(2, Run("", "render", "--preset", "full").Code);
        Assert.Equal(2, Run("", "validate", "--preset", "gigantic").Code);
        Assert.Equal(2, Run("", "frobnicate").Code);
        Assert.Equal(2, Run("", "explain", "--preset", "full", "GET").Code);
        Assert.Equal(2, Run("", "validate", "--preset", "full", "--set", "novalue").Code);
    }

    [Fact]
    public void RenderWithAMissingSecretWritesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "matrix-render-" + Guid.NewGuid().ToString("N"));
        var secrets = Path.Combine(Path.GetTempPath(), "matrix-secrets-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllLines(secrets, SecretName.All.Where(n => n != SecretName.FormSecret).Select(n => n == SecretName.SigningKey ? $"{n}: {TestSigningKey.Value}" : $"{n}: value-{n}"));
        try
        {
            var (code, _, error) = Run("", "render", "--preset", "large", "--secrets", secrets, "--out", dir);
            Assert.Equal(1, code);
            Assert.Contains("secrets.form_secret", error);
            Assert.DoesNotContain("value-", error);
            Assert.False(Directory.Exists(dir));
        }
        finally
        {
            File.Delete(secrets);
        }
    }

    [Fact]
    public void RenderWritesSecretFilesOwnerOnly()
    {
        var dir = Path.Combine(Path.GetTempPath(), "matrix-render-" + Guid.NewGuid().ToString("N"));
        var secrets = Path.Combine(Path.GetTempPath(), "matrix-secrets-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllLines(secrets, SecretName.All.Select(n => n == SecretName.SigningKey ? $"{n}: {TestSigningKey.Value}" : $"{n}: value-{n}"));
        try
        {
            var (code, output, error) = Run("", "render", "--preset", "monolith", "--secrets", secrets, "--out", dir);
            Assert.True(code == 0, error);
            var file = Path.Combine(dir, "secrets", SecretName.MacaroonSecretKey);
            Assert.Equal($"value-{SecretName.MacaroonSecretKey}", File.ReadAllText(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            Assert.DoesNotContain("value-", output);
        }
        finally
        {
            File.Delete(secrets);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void GeneratedSecretsRenderAndAreNeverOverwritten()
    {
        var root = Path.Combine(Path.GetTempPath(), "matrix-gen-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var secrets = Path.Combine(root, "secrets.yaml");
        try
        {
            var generated = Run("", "generate-secrets", "--preset", "large", "--out", secrets);
            Assert.True(generated.Code == 0, generated.Error);
            var text = File.ReadAllText(secrets);
            Assert.Matches("signing_key: \"ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\"", text);
            Assert.DoesNotContain(text.Split('"')[1], generated.Output);

            var again = Run("", "generate-secrets", "--preset", "large", "--out", secrets);
            Assert.Equal(1, again.Code);
            Assert.Equal(text, File.ReadAllText(secrets));

            var rendered = Run("", "render", "--preset", "large", "--secrets", secrets, "--out", Path.Combine(root, "out"));
            Assert.True(rendered.Code == 0, rendered.Error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ExplainNormalisesLikeTheRouterAndReportsWhatItRefuses()
    {
        var (code, output, _) = Run("GET\t/_matrix//client/v3/%73ync?since=s1\nGET\t/_matrix/client/v3/../../_synapse/admin/v1/users\n", "explain", "--preset", "full", "-");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"pool\":\"synchrotron\",\"balance\":\"access-token\",\"fallback\":\"main\"}", lines[0]);
        Assert.StartsWith("{\"pool\":null,\"balance\":null,\"fallback\":null,\"rejected\":", lines[1]);
    }
}
