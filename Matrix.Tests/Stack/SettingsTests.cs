using Matrix.Stack.Catalog;
using Matrix.Stack.Presets;
using Matrix.Stack.Settings;

namespace Matrix.Tests.Stack;

public class SettingsTests
{
    [Fact]
    public void SetAdjustsAPresetsWorkers()
    {
        var options = StackPresets.Create("large");
        Assert.Empty(StackSettings.Apply(options, [StackSettings.ParseAssignment("workers.synchrotron=12")!.Value]));
        Assert.Equal(12, options.Count(PoolType.Synchrotron));
        Assert.Equal(4, options.Count(PoolType.ClientReader));
    }

    [Theory]
    [InlineData("workers.synchrotronn", "5", "unknown pool type 'synchrotronn'")]
    [InlineData("workers.synchrotron", "many", "not a whole number")]
    [InlineData("s3.bukket", "x", "unknown setting")]
    [InlineData("coturn.port", "70000", "not a port")]
    [InlineData("s3.enabled", "yes", "not true or false")]
    [InlineData("serverName", "", "must not be empty")]
    [InlineData("database.poolMax", "0", "from 1 to 1000")]
    [InlineData("ports.main.https", "8448", "unknown setting")]
    public void BadSettingsAreNamed(string key, string value, string expected)
    {
        var problem = Assert.Single(StackSettings.Apply(StackPresets.Create("monolith"), [new(key, value)]));
        Assert.Equal(key, problem.Setting);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void YamlAndJsonFilesFlattenToTheSameKeys()
    {
        var yaml = SettingsFile.Parse(new StringReader("serverName: example.org\nworkers:\n  synchrotron: 12\ns3:\n  bucket: media\n"), "test.yaml");
        var json = SettingsFile.Parse(new StringReader("{\"serverName\": \"example.org\", \"workers\": {\"synchrotron\": 12}, \"s3\": {\"bucket\": \"media\"}}"), "test.json");
        Assert.Equal(yaml, json);
        var options = StackPresets.Create("specialized");
        Assert.Empty(StackSettings.Apply(options, yaml));
        Assert.Equal("example.org", options.ServerName);
        Assert.Equal(12, options.Count(PoolType.Synchrotron));
        Assert.Equal("media", options.S3.Bucket);
    }

    [Fact]
    public void MalformedFilesNameTheFileAndLine()
    {
        var error = Assert.Throws<FormatException>(() => SettingsFile.Parse(new StringReader("workers:\n  synchrotron: [1, 2\n"), "bad.yaml"));
        Assert.Contains("bad.yaml", error.Message);
        var list = Assert.Throws<FormatException>(() => SettingsFile.Parse(new StringReader("workers:\n  - 1\n"), "list.yaml"));
        Assert.Contains("'workers' must be a single value or a mapping", list.Message);
    }

    [Fact]
    public void UnknownPresetNamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => StackPresets.Create("huge"));
        Assert.Contains("monolith, one-of-each, specialized, large, full", error.Message);
    }
}
