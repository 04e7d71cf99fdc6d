using System.Diagnostics;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The podman and process look-ups of <see cref="DocumentedRunTests"/>: which containers a run's orchestrator (DCP)
/// created, whether they are gone, what is left.
/// </summary>
public static class Podman
{
    /// <summary>The label DCP puts on every container it creates: the process ID of its controller.</summary>
    private const string CreatorLabel = "com.microsoft.developer.usvc-dev.creatorProcessId";

    /// <summary>
    /// The containers created by the orchestrator of the AppHost running in process group <paramref name="group"/>
    /// (<see cref="ControllersOfGroupAsync"/>), which labels each container with its process ID. Other stacks on the
    /// machine are not counted.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ContainersOfGroupAsync(int group, CancellationToken ct)
    {
        var containers = new List<string>();
        foreach (var controller in (await ControllersOfGroupAsync(group, ct)).Controllers)
        {
            containers.AddRange((await RunAsync(["ps", "-a", "-q", "--no-trunc", "--filter", $"label={CreatorLabel}={controller}"], ct))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        return containers;
    }

    /// <summary>
    /// The process IDs of the executables and projects the orchestrator of that run started (its controller's children)
    /// whose command line contains <paramref name="name"/>.
    /// </summary>
    public static async Task<IReadOnlyList<int>> ProcessesOfGroupAsync(int group, string name, CancellationToken ct)
    {
        var (controllers, processes) = await ControllersOfGroupAsync(group, ct);
        return processes.Where(p => controllers.Contains(p.Parent) && p.Arguments.Contains(name, StringComparison.Ordinal))
            .Select(p => int.Parse(p.Pid, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>
    /// DCP's controller processes of the AppHost running in process group <paramref name="group"/>: DCP's API server
    /// watches the AppHost (<c>dcp start-apiserver --monitor PID</c>) and its controller is the API server's child.
    /// </summary>
    private static async Task<(IReadOnlySet<string> Controllers, IReadOnlyList<(string Pid, string Parent, string Group, string Arguments)> Processes)> ControllersOfGroupAsync(int group, CancellationToken ct)
    {
        var processes = (await ProgramAsync("ps", ["-eo", "pid=,ppid=,pgid=,args="], ct)).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(' ', 4, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 4)
            .Select(fields => (Pid: fields[0], Parent: fields[1], Group: fields[2], Arguments: fields[3]))
            .ToList();
        var members = processes.Where(p => p.Group == group.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Pid).ToHashSet();
        var apiServers = processes.Where(p => p.Arguments.Contains("dcp start-apiserver", StringComparison.Ordinal)
                && members.Any(m => p.Arguments.Contains($"--monitor {m} ", StringComparison.Ordinal)))
            .Select(p => p.Pid).ToHashSet();
        return (processes.Where(p => apiServers.Contains(p.Parent)).Select(p => p.Pid).ToHashSet(), processes);
    }

    /// <summary>Every container podman knows (running or not), by full ID.</summary>
    public static async Task<IReadOnlyList<string>> ContainerIdsAsync(CancellationToken ct) =>
        (await RunAsync(["ps", "-a", "-q", "--no-trunc"], ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<bool> ExistsAsync(string kind, string name, CancellationToken ct) =>
        await ExitCodeAsync([kind, "exists", name], ct) == 0;

    /// <summary>Name, state and image of each of <paramref name="containers"/> (IDs) that still exists.</summary>
    public static async Task<string> DescribeAsync(IReadOnlyList<string> containers, CancellationToken ct) =>
        containers.Count == 0 ? "(none)"
            : await RunAsync(["ps", "-a", "--format", "{{.Names}} {{.State}} {{.Image}}", .. containers.SelectMany(id => new[] { "--filter", $"id={id}" })], ct);

    /// <summary>The processes whose command line mentions <paramref name="text"/> (a run's scratch folder), one a line.</summary>
    public static async Task<string> ProcessesMentioningAsync(string text, CancellationToken ct) =>
        string.Join('\n', (await ProgramAsync("ps", ["-eo", "pid=,args="], ct)).Output.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal)));

    /// <summary>Removes what a failed run may have left (never other containers).</summary>
    public static async Task RemoveAsync(IReadOnlyList<string> containers)
    {
        if (containers.Count > 0)
        {
            await RunAsync(["rm", "--force", "--ignore", .. containers], CancellationToken.None);
        }
    }

    /// <summary>podman with <paramref name="arguments"/>: what it printed (standard output, then error).</summary>
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct) => (await ProgramAsync("podman", arguments, ct)).Output;

    private static async Task<int> ExitCodeAsync(IReadOnlyList<string> arguments, CancellationToken ct) => (await ProgramAsync("podman", arguments, ct)).Code;

    private static async Task<(int Code, string Output)> ProgramAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, ((await output) + (await error)).TrimEnd());
    }
}
