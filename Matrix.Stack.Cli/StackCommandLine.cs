using System.CommandLine;

namespace Matrix.Stack.Cli;

/// <summary>
/// The commands, and the one place where outcomes become exit codes: a parse error or <see cref="UsageException"/>
/// is <see cref="ExitCodes.Usage"/>; a file that cannot be read or written is <see cref="ExitCodes.Problems"/>
/// with one line naming it (never a stack trace); each command returns its own code otherwise.
/// </summary>
public static class StackCommandLine
{
    public static RootCommand Create(CliConsole console) =>
        new("matrix-stack: a Matrix deployment described once; renders, validates and explains it without Aspire.")
        {
            RenderCommand.Create(console),
            ValidateCommand.Create(console),
            ExplainCommand.Create(console),
            GenerateSecretsCommand.Create(console),
            PoolsCommand.Create(console),
            SettingsCommand.Create(console),
            CreateUserCommand.Create(console),
        };

    public static int Run(string[] args, CliConsole console)
    {
        // No response files: an argument starting with '@' (a Matrix user ID) is a value, not a file to read arguments from.
        var parsed = Create(console).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in parsed.Errors)
            {
                console.Error.WriteLine($"error: {parseError.Message}");
            }
            return UsageHint(console, parsed);
        }
        try
        {
            return parsed.Invoke(invocation);
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return UsageHint(console, parsed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The messages of these name the path and the reason; the stack trace helps no operator.
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Problems;
        }
    }

    private static int UsageHint(CliConsole console, ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var name = command is RootCommand ? "" : command.Name + " ";
        console.Error.WriteLine($"run 'matrix-stack {name}--help' for usage");
        return ExitCodes.Usage;
    }
}
