using System.CommandLine;
using Matrix.Stack.Settings;

namespace Matrix.Stack.Cli;

/// <summary><c>settings</c>: every key <c>--set</c> and settings files accept.</summary>
internal static class SettingsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("settings", "List every key --set and --settings files accept.");
        command.SetAction(_ =>
        {
            console.Out.WriteLine("workers.<pool>                  instances of a pool (see `pools`)");
            console.Out.WriteLine("ports.<instance>.http           HTTP port of one Synapse process");
            console.Out.WriteLine("ports.<instance>.replication    replication port of one Synapse process");
            foreach (var key in StackSettings.Keys.Order(StringComparer.Ordinal))
            {
                console.Out.WriteLine(key);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
