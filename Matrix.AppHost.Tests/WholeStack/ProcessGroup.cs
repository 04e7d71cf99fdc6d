using System.Collections.Concurrent;
using System.Diagnostics;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// A shell command line run by <c>bash -c</c> as the leader of its own process group (<c>setsid</c>), the way a terminal
/// runs a foreground job: <see cref="InterruptAsync"/> is the terminal's Ctrl-C (SIGINT to every process of the group).
/// Standard output and error are kept (a run's console output is the AppHost's own log, not its resources').
/// </summary>
public sealed class ProcessGroup : IAsyncDisposable
{
    private const int TailLines = 80;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ProcessGroup(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The leader's exit code, or null while it runs (also when .NET has not collected it yet).</summary>
    public int? ExitCode
    {
        get
        {
            try
            {
                return _process.HasExited ? _process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Everything the group printed so far (standard output and error interleaved as they arrived).</summary>
    public string Output => string.Join(Environment.NewLine, _lines);

    /// <summary>The last lines of <see cref="Output"/>, for failure reports.</summary>
    public string Tail => string.Join(Environment.NewLine, _lines.TakeLast(TailLines));

    public static ProcessGroup Start(string commandLine, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        // setsid (util-linux) makes bash the leader of a new session and process group, as a terminal does for a job.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Kept open for the whole run, as a terminal's: a closed standard input is a different situation.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var group = new ProcessGroup(new Process { StartInfo = start });
        group._process.OutputDataReceived += (_, e) => group.Keep(e.Data);
        group._process.ErrorDataReceived += (_, e) => group.Keep(e.Data);
        group._process.Start();
        group._process.BeginOutputReadLine();
        group._process.BeginErrorReadLine();
        return group;
    }

    /// <summary>Ctrl-C: SIGINT to the whole process group.</summary>
    public Task InterruptAsync() => SignalAsync("INT");

    /// <summary>Waits for the leader to exit; false when it has not by the end of <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Whatever the test left running (a failed stop) is killed with the group, never left behind.
        await SignalAsync("KILL");
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, "--", $"-{_process.Id}"])
        {
            RedirectStandardError = true,
        })!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
    }
}
