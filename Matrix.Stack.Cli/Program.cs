namespace Matrix.Stack.Cli;

/// <summary><c>dotnet run --project Matrix.Stack.Cli -- COMMAND ...</c> (the <c>matrix-stack</c> program).</summary>
public static class Program
{
    public static int Main(string[] args) => StackCommandLine.Run(args, new CliConsole(Console.In, Console.Out, Console.Error));
}
