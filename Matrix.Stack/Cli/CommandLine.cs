namespace Matrix.Stack.Cli;

/// <summary>The options and positional arguments after the command name.</summary>
public sealed class CommandLine
{
    private static readonly string[] ValueOptions = ["--preset", "--settings", "--set", "--secrets", "--out"];
    private static readonly string[] FlagOptions = ["--no-secrets"];

    public string? Preset { get; private set; }

    public string? SettingsFile { get; private set; }

    public List<string> Assignments { get; } = [];

    public string? SecretsFile { get; private set; }

    public string? OutputDirectory { get; private set; }

    public bool NoSecrets { get; private set; }

    public List<string> Positional { get; } = [];

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (FlagOptions.Contains(arg))
            {
                result.NoSecrets = true;
                continue;
            }
            if (!ValueOptions.Contains(arg))
            {
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"unknown option '{arg}'");
                }
                result.Positional.Add(arg);
                continue;
            }
            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{arg} needs a value");
            }
            var value = args[++i];
            switch (arg)
            {
                case "--preset": result.Preset = value; break;
                case "--settings": result.SettingsFile = value; break;
                case "--set": result.Assignments.Add(value); break;
                case "--secrets": result.SecretsFile = value; break;
                case "--out": result.OutputDirectory = value; break;
            }
        }
        return result;
    }
}
