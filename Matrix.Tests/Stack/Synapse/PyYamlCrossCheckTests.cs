using System.Text.Json.Nodes;
using Matrix.Stack.Rendering;
using Matrix.Stack.Synapse;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// The generated files read by the real thing Synapse reads them with: Python's PyYAML <c>safe_load</c> (Debian's
/// python3-yaml) must give exactly what the tests' reader gives, and Python's <c>logging.config.dictConfig</c> must
/// accept the log configuration and format a record with it.
/// </summary>
public sealed class PyYamlCrossCheckTests : IDisposable
{
    private const string LoadAll = """
        import json, sys, yaml
        for path in sys.argv[1:]:
            with open(path, encoding="utf-8") as f:
                print(json.dumps({"path": path, "value": yaml.safe_load(f)}))
        """;

    private const string ConfigureLogging = """
        import logging, logging.config, sys, yaml
        with open(sys.argv[1], encoding="utf-8") as f:
            logging.config.dictConfig(yaml.safe_load(f))
        print(logging.getLogger().getEffectiveLevel(), logging.getLogger("synapse.storage.SQL").getEffectiveLevel())
        logging.getLogger("synapse.test").warning("configured %s", "ok", extra={"request": "GET-42"})
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("synapse-pyyaml-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<CleanShell.Result> Python(string script, IEnumerable<string> arguments)
    {
        var python = ExternalProcess.RequireExecutable("python3", "apt-get install python3 python3-yaml");
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin", ["PYTHONIOENCODING"] = "utf-8" };
        var probe = await CleanShell.RunAsync(python, ["-c", "import yaml"], environment, Path.GetTempPath());
        Assert.SkipWhen(probe.ExitCode != 0, "PyYAML is not installed for python3 (apt-get install python3-yaml).");
        return await CleanShell.RunAsync(python, ["-c", script, .. arguments], environment, Path.GetTempPath());
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public async Task PyYamlReadsEveryGeneratedFileExactlyAsTheTestsDo(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var files = rendered.SynapseFiles.Where(f => f.Kind == RenderedFileKind.Config && f.Path.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        var written = new Dictionary<string, RenderedFile>();
        foreach (var file in files)
        {
            var path = Path.Combine(_folder, file.Path.Replace('/', '_'));
            await File.WriteAllTextAsync(path, file.Content, TestContext.Current.CancellationToken);
            written[path] = file;
        }

        var result = await Python(LoadAll, written.Keys);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(written.Count, lines.Length);
        foreach (var line in lines)
        {
            var entry = JsonNode.Parse(line)!;
            var file = written[entry["path"]!.GetValue<string>()];
            var ours = JsonNode.Parse(YamlJson.Parse(file.Content)!.ToJsonString());
            Assert.True(JsonNode.DeepEquals(entry["value"], ours), $"{file.Path}: PyYAML reads {entry["value"]!.ToJsonString()}\nthe tests read {ours!.ToJsonString()}");
        }
    }

    [Fact]
    public async Task PyYamlReadsBackEveryTrickyStringTheEmitterQuotes()
    {
        string[] values =
        [
            "no", "on", "~", "", "0777", "1:30", "1h", "8008", "a: b # c", "- item", "{not: a map}", "'single' \"double\" \\ back",
            "line\nbreak\ttab\r", "bell\u0007 del\u007f nel\u0085 ls\u2028 ps\u2029", "ünïcødé 😀", "%(asctime)s",
        ];
        var document = new Matrix.Stack.Yaml.YamlMapping();
        for (var i = 0; i < values.Length; i++)
        {
            document.Add($"v{i}", values[i]);
        }
        var path = Path.Combine(_folder, "tricky.yaml");
        await File.WriteAllTextAsync(path, Matrix.Stack.Yaml.YamlFile.Write(document), TestContext.Current.CancellationToken);

        var result = await Python(LoadAll, [path]);

        Assert.True(result.ExitCode == 0, result.Error);
        var read = JsonNode.Parse(result.Output)!["value"]!.AsObject();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], read[$"v{i}"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task PythonLoggingAcceptsTheLogConfiguration()
    {
        var options = SynapseTestLayouts.Create("monolith");
        options.Synapse.LogLevel = "WARNING";
        var path = Path.Combine(_folder, "log_config.yaml");
        await File.WriteAllTextAsync(path, RenderedSynapse.Of(options).File(SynapsePaths.RenderedLogConfig).Content, TestContext.Current.CancellationToken);

        var result = await Python(ConfigureLogging, [path]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("30 20", result.Output.Trim());
        Assert.Contains(" - synapse.test - ", result.Error);
        Assert.Contains(" - WARNING - GET-42 - configured ok", result.Error);
    }
}
