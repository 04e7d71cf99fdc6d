using System.Collections.Concurrent;
using System.Diagnostics;

namespace Matrix.Tests.Infrastructure;

/// <summary>
/// A real server process started by a test (turnserver, postgres, s3rver...): output captured for
/// failure messages, the whole process tree killed on dispose.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far, for assertion messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Finds an executable on PATH (or an absolute path); skips the test, saying why, when it is not installed.</summary>
    public static string RequireExecutable(string name, string installHint)
    {
        if (Path.IsPathRooted(name))
        {
            Assert.SkipUnless(File.Exists(name), $"{name} is not installed ({installHint}).");
            return name;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        Assert.SkipWhen(path is null, $"'{name}' is not installed ({installHint}); .ci/run installs it.");
        return path!;
    }

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) result._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) result._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
