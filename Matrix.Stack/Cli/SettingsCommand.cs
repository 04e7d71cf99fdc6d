using Matrix.Stack.Settings;

namespace Matrix.Stack.Cli;

/// <summary><c>settings</c>: every key <c>--set</c> and settings files accept.</summary>
internal static class SettingsCommand
{
    public static int Run(TextWriter output)
    {
        output.WriteLine("workers.<pool>                  instances of a pool (see `pools`)");
        output.WriteLine("ports.<instance>.http           HTTP port of one Synapse process");
        output.WriteLine("ports.<instance>.replication    replication port of one Synapse process");
        foreach (var key in StackSettings.Keys.Order(StringComparer.Ordinal))
        {
            output.WriteLine(key);
        }
        return Program.Success;
    }
}
