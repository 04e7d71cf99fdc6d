using System.Globalization;
using Microsoft.Extensions.Options;

namespace Matrix.Router.Configuration;

/// <summary>
/// How many client connections the router accepts: <c>Router:Limits:MaxConnections</c>, lowered to what the process's
/// limit on open files can hold. Each client connection can hold a connection to an instance while its request is in
/// flight, so it costs two descriptors. Without the cap a router at its file limit fails in ways no client can read:
/// accepts fail in a loop, connections to instances fail, and even an assembly the answer needs cannot be loaded.
/// With it, the router closes connections beyond the cap at once (<see cref="Security.ClientConnectionLimit"/>) and
/// everything accepted is served.
/// </summary>
public sealed record ConnectionCapacity(long Configured, long? OpenFileLimit, int OpenAtStart)
{
    /// <summary>
    /// Descriptors kept free beyond those open at start: idle connections to instances, health probes, DNS, log files
    /// and the assemblies loaded later.
    /// </summary>
    public const int Reserve = 256;

    /// <summary>The cap in force: <see cref="Configured"/>, or fewer if the open-file limit has room for fewer.</summary>
    public long Effective => OpenFileLimit is { } files ? Math.Min(Configured, RoomFor(files, OpenAtStart)) : Configured;

    public bool IsReduced => Effective < Configured;

    /// <summary>The open-file limit <see cref="Configured"/> connections need: two each, what is open at start and the reserve.</summary>
    public long OpenFilesNeeded => OpenFilesFor(OpenAtStart, Configured);

    /// <summary>What this process can hold; without a readable limit (not Linux), the configured value.</summary>
    public static ConnectionCapacity Of(long maxConnections)
    {
        var limit = ReadOpenFileLimit();
        var open = CountOpenFiles();
        if (limit is { } files && RoomFor(files, open) < 1)
        {
            throw new OptionsValidationException(nameof(RouterOptions), typeof(RouterOptions),
            [
                $"Router:Limits:MaxConnections: the process may open {files} files (ulimit -n) and {open} are open at start; " +
                $"with {Reserve} kept for instances and the runtime there is no room for a client connection. Raise the open-file " +
                $"limit to at least {OpenFilesFor(open, maxConnections)} (two per client connection).",
            ]);
        }
        return new ConnectionCapacity(maxConnections, limit, open);
    }

    private static long RoomFor(long files, int open) => (files - open - Reserve) / 2;

    private static long OpenFilesFor(int open, long connections) => open + Reserve + 2 * connections;

    /// <summary>The soft limit on open files (RLIMIT_NOFILE), as Linux reports it; null where there is no /proc.</summary>
    // Read from /proc by hand: .NET has no API for resource limits, and this line is all the router needs of them.
    private static long? ReadOpenFileLimit()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }
        return null;
    }

    private static int CountOpenFiles() =>
        Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;
}
