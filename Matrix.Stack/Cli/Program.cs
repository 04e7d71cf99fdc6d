namespace Matrix.Stack.Cli;

/// <summary>
/// <c>dotnet run --project Matrix.Stack -- COMMAND ...</c>: render, validate and explain a deployment without Aspire.
/// Exit codes: 0 success, 1 the deployment has problems, 2 the command line is wrong.
/// </summary>
public static class Program
{
    public const int Success = 0;
    public const int Problems = 1;
    public const int Usage = 2;

    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            output.Write(HelpText);
            return args.Length == 0 ? Usage : Success;
        }
        try
        {
            var command = CommandLine.Parse(args[1..]);
            return args[0] switch
            {
                "render" => RenderCommand.Run(command, output, error),
                "validate" => ValidateCommand.Run(command, output, error),
                "explain" => ExplainCommand.Run(command, input, output, error),
                "pools" => PoolsCommand.Run(output),
                "settings" => SettingsCommand.Run(output),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.WriteLine("run with --help for usage");
            return Usage;
        }
    }

    public const string HelpText = """
        Matrix.Stack: the Matrix deployment described once.

        Commands:
          render   --preset NAME [--settings FILE] [--set KEY=VALUE]... [--secrets FILE] --out DIR
                   Writes DIR/synapse/homeserver.yaml, DIR/synapse/workers/<worker>.yaml, DIR/secrets/<name>
                   and every component's files. Nothing is written when anything is invalid.
          validate --preset NAME [--settings FILE] [--set KEY=VALUE]... [--secrets FILE | --no-secrets]
                   Prints every problem, each naming its setting; exit code 1 when there is any.
          explain  --preset NAME [--set KEY=VALUE]... METHOD PATH[?QUERY]
          explain  --preset NAME [--set KEY=VALUE]... -
                   Prints {"pool":...,"balance":...,"fallback":...} for the request, or for each
                   METHOD<TAB>PATH line of standard input.
          pools    Lists the worker catalog.
          settings Lists every setting key.

        Presets: monolith, one-of-each, specialized, large, full.
        Secrets: a YAML/JSON file of name: value, overridden by MATRIX_SECRET_<NAME> variables.

        """;
}
