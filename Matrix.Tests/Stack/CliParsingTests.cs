using Matrix.Stack.Cli;

namespace Matrix.Tests.Stack;

/// <summary>The command line's shape: options per verb, generated help, version, exit codes.</summary>
public class CliParsingTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = StackCommandLine.Run(args, new CliConsole(new StringReader(""), output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--out", "pools --out x")]
    [InlineData("--preset", "settings --preset full")]
    [InlineData("--secrets", "explain --preset full GET /_matrix/client/versions --secrets s.yaml")]
    [InlineData("--no-secrets", "generate-secrets --preset full --out x.yaml --no-secrets")]
    public void AnOptionTheVerbDoesNotTakeIsAUsageError(string offending, string commandLine)
    {
        var (code, output, error) = Run(commandLine.Split(' '));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"'{offending}'", error);
        Assert.Equal("", output);
        Assert.False(File.Exists("x.yaml"));
    }

    [Theory]
    [InlineData("render", "--out <DIR> (REQUIRED)")]
    [InlineData("validate", "--no-secrets")]
    [InlineData("explain", "<request>")]
    [InlineData("generate-secrets", "--out <FILE> (REQUIRED)")]
    [InlineData("pools", "worker catalog")]
    [InlineData("settings", "--set")]
    public void EverySubcommandHasGeneratedHelp(string verb, string expected)
    {
        var (code, output, _) = Run(verb, "--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void RenderHelpMarksTheRequiredOptions()
    {
        var (_, output, _) = Run("render", "--help");
        Assert.Contains("--preset <NAME> (REQUIRED)", output);
        Assert.DoesNotContain("--secrets <FILE> (REQUIRED)", output);
    }

    [Fact]
    public void SecretsAndNoSecretsExcludeEachOther()
    {
        var (code, _, error) = Run("validate", "--preset", "full", "--secrets", "s.yaml", "--no-secrets");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-secrets", error);
    }
}
