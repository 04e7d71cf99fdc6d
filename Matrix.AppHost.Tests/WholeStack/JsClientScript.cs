using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// A script of <c>tests/js-client/</c> (matrix-js-sdk with its Rust cryptography, installed by <c>.ci/run</c> with
/// <c>npm ci</c> from the pinned lockfile) run by Node.js: its input as one JSON object on standard input (passwords stay
/// off the command line), its progress as JSON lines on standard output, the SDK's own log on standard error.
/// </summary>
public sealed class JsClientScript
{
    /// <summary>Set by <c>.ci/run</c> once it has installed the folder: from then on a missing piece fails the test.</summary>
    public const string FolderVariable = "MATRIX_TEST_JS_CLIENT";

    private JsClientScript(string node, string script)
    {
        Node = node;
        Script = script;
    }

    public string Node { get; }

    public string Script { get; }

    /// <summary>
    /// Node.js and the installed packages, or the test ends: it fails in CI (<c>CI=true</c>, or <c>.ci/run</c> having set
    /// <see cref="FolderVariable"/>), where a missing client must not pass as a skip, and skips elsewhere naming what is missing.
    /// </summary>
    public static JsClientScript Require(string scriptName)
    {
        var configured = Environment.GetEnvironmentVariable(FolderVariable);
        var folder = string.IsNullOrEmpty(configured) ? Path.Combine(AppHostPaths.Root, "tests", "js-client") : configured;
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
        string? missing = null;
        if (node is null)
        {
            missing = "Node.js ('node' is not on PATH)";
        }
        else if (!File.Exists(Path.Combine(folder, "node_modules", "matrix-js-sdk", "package.json"))
                 || !File.Exists(Path.Combine(folder, "node_modules", "@matrix-org", "matrix-sdk-crypto-wasm", "package.json"))
                 || !File.Exists(Path.Combine(folder, "node_modules", "fake-indexeddb", "package.json")))
        {
            missing = $"the npm packages of {folder} (matrix-js-sdk, @matrix-org/matrix-sdk-crypto-wasm, fake-indexeddb; `npm ci --prefix tests/js-client`)";
        }
        if (missing is not null)
        {
            var required = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
                           || !string.IsNullOrEmpty(configured);
            Assert.False(required, $"The real-client test cannot run without {missing}; .ci/run installs them.");
            Assert.Skip($"Not installed: {missing}. .ci/run installs it.");
        }
        return new JsClientScript(node!, Path.Combine(folder, scriptName));
    }

    /// <summary>Runs the script to its end; each line it prints is handed to <paramref name="onLine"/> as it arrives.</summary>
    public async Task<Run> RunAsync(JsonObject input, Action<JsonObject> onLine, CancellationToken ct)
    {
        var info = new ProcessStartInfo(Node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Script)!,
        };
        info.ArgumentList.Add(Script);
        using var process = Process.Start(info)!;
        var lines = new ConcurrentQueue<JsonObject>();
        var log = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                var parsed = ParseLine(line);
                lines.Enqueue(parsed);
                onLine(parsed);
            }
        }, CancellationToken.None);
        var logging = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                log.Enqueue(line);
                while (log.Count > 200)
                {
                    log.TryDequeue(out _);
                }
            }
        }, CancellationToken.None);
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(reading, logging);
            throw new TimeoutException($"{Path.GetFileName(Script)} did not finish in time. Last lines:\n{string.Join('\n', lines.TakeLast(5).Select(l => l.ToJsonString()))}\nIts log:\n{string.Join('\n', log)}");
        }
        await Task.WhenAll(reading, logging);
        return new Run(process.ExitCode, [.. lines], string.Join('\n', log));
    }

    // A line that is not JSON is the script's bug or a stray print: keep it visible instead of failing the read.
    private static JsonObject ParseLine(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? new JsonObject { ["step"] = "unparsed", ["line"] = line };
        }
        catch (JsonException)
        {
            return new JsonObject { ["step"] = "unparsed", ["line"] = line };
        }
    }

    /// <summary>What the script printed: its steps in order, its exit code, and the tail of its log.</summary>
    public sealed record Run(int ExitCode, IReadOnlyList<JsonObject> Lines, string LogTail)
    {
        public IEnumerable<JsonObject> Steps(string step) =>
            Lines.Where(line => line["step"]?.GetValue<string>() == step);

        public JsonObject Single(string step) =>
            Steps(step).SingleOrDefault() ?? throw new Xunit.Sdk.XunitException($"the client printed no '{step}' line; it printed:\n{string.Join('\n', Lines.Select(l => l.ToJsonString()))}\nIts log:\n{LogTail}");
    }
}
