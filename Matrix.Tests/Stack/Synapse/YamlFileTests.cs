using System.Text.Json.Nodes;
using Matrix.Stack.Yaml;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>What YamlFile writes reads back (through a real YAML parser, with PyYAML's typing) as what was given.</summary>
public class YamlFileTests
{
    [Theory]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("1h")]
    [InlineData("0777")]
    [InlineData("8008")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("a: b # c")]
    [InlineData("- item")]
    [InlineData("'single' \"double\" \\ back")]
    [InlineData("line\nbreak\ttab\r")]
    [InlineData("bell\u0007 del\u007f nel\u0085 ls\u2028")]
    [InlineData("ünïcødé 😀")]
    [InlineData("%(asctime)s - %(request)s")]
    [InlineData("{not: a map}")]
    public void EveryStringReadsBackAsTheSameString(string value)
    {
        var text = YamlFile.Write(new YamlMapping { { "value", value } });
        var node = YamlJson.ParseObject(text)["value"];
        Assert.Equal(value, node!.GetValue<string>());
    }

    [Fact]
    public void NestedStructuresAndScalarsKeepTheirShapeAndOrder()
    {
        var document = new YamlMapping
        {
            { "zeta", 1 },
            { "alpha", true },
            { "nothing", null },
            { "big", 5_000_000_000L },
            { "empty_list", new List<object?>() },
            { "empty_map", new YamlMapping() },
            { "flow", new List<object?> { "a", 2, false } },
            {
                "listeners", new List<object?>
                {
                    new YamlMapping { { "port", 8008 }, { "resources", new List<object?> { new YamlMapping { { "names", new List<object?> { "client" } } } } } },
                    new YamlMapping { { "port", 9093 } },
                }
            },
            { "nested", new YamlMapping { { "inner", new YamlMapping { { "key", "v" } } } } },
        };
        var text = YamlFile.Write(document, "header line");
        Assert.StartsWith("# header line\n", text);

        var parsed = YamlJson.ParseObject(text);
        Assert.Equal(
            "{\"zeta\":1,\"alpha\":true,\"nothing\":null,\"big\":5000000000,\"empty_list\":[],\"empty_map\":{},\"flow\":[\"a\",2,false],"
            + "\"listeners\":[{\"port\":8008,\"resources\":[{\"names\":[\"client\"]}]},{\"port\":9093}],\"nested\":{\"inner\":{\"key\":\"v\"}}}",
            parsed.ToJsonString());
    }

    [Fact]
    public void AKeyAddedTwiceIsABugNotAnOverwrite()
    {
        var mapping = new YamlMapping { { "a", 1 } };
        Assert.Throws<InvalidOperationException>(() => mapping.Add("a", 2));
    }

    [Fact]
    public void UnsupportedValuesAreRefused()
    {
        Assert.Throws<NotSupportedException>(() => YamlFile.Write(new YamlMapping { { "d", 1.5 } }));
        Assert.Throws<NotSupportedException>(() => YamlFile.Write(new YamlMapping { { "l", new List<int> { 1 } } }));
    }

    [Fact]
    public void KeysThatAreNotPlainIdentifiersAreQuoted()
    {
        var text = YamlFile.Write(new YamlMapping { { "synapse.storage.SQL", 1 }, { "a key: odd", 2 }, { "8008", 3 }, { "no", 4 }, { "null", 5 }, { "-dash", 6 } });
        var parsed = YamlJson.ParseObject(text);
        Assert.Equal(["synapse.storage.SQL", "a key: odd", "8008", "no", "null", "-dash"], parsed.Select(p => p.Key));
        Assert.IsType<JsonObject>(parsed);
    }
}
