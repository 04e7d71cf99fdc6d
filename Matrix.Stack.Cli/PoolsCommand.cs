using System.CommandLine;
using Matrix.Stack.Catalog;

namespace Matrix.Stack.Cli;

/// <summary><c>pools</c>: the worker catalog as a table.</summary>
internal static class PoolsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("pools", "List the worker catalog: every pool, its Synapse app, stream, balance policy and fallback.");
        command.SetAction(_ => Write(console.Out));
        return command;
    }

    private static int Write(TextWriter output)
    {
        output.WriteLine($"{"pool",-20} {"app",-30} {"resources",-22} {"stream",-25} {"many",-5} {"balance",-18} {"routes",6}  fallback");
        foreach (var pool in WorkerCatalog.All)
        {
            var resources = pool.PublicResources.Count > 0 ? string.Join(",", pool.PublicResources) : "-";
            var fallback = pool.Fallback.Count > 0 ? string.Join(" > ", pool.Fallback.Select(f => f.Name())) : "-";
            if (pool.Stream is not null && pool.Fallback.Count > 0)
            {
                // Stream writes never fall back (only the writer can take them); the fallback is for GET-only reads.
                fallback += " (reads)";
            }
            output.WriteLine($"{pool.Name,-20} {pool.WorkerApp,-30} {resources,-22} {pool.Stream?.Name ?? "-",-25} {(pool.AllowsMultipleInstances ? "yes" : "no"),-5} {pool.Balance.Name(),-18} {pool.Routes.Count,6}  {fallback}");
        }
        return ExitCodes.Success;
    }
}
