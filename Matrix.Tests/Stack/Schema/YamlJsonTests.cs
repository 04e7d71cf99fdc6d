using System.Text.Json.Nodes;

namespace Matrix.Tests.Stack.Schema;

/// <summary>YAML scalars get the types PyYAML's safe_load gives them, because that is what Synapse reads.</summary>
public class YamlJsonTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void PlainYaml11BooleansAreBooleans(string text, bool expected)
    {
        Assert.Equal(expected, YamlJson.Parse("v: " + text)!["v"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("8008", 8008)]
    [InlineData("-3", -3)]
    [InlineData("0777", 511)]
    [InlineData("0x1f", 31)]
    [InlineData("0b101", 5)]
    [InlineData("1_000", 1000)]
    [InlineData("1:30", 90)]
    public void PlainIntegersFollowYaml11(string text, long expected)
    {
        Assert.Equal(expected, YamlJson.Parse("v: " + text)!["v"]!.GetValue<long>());
    }

    [Fact]
    public void FloatsNullsAndQuotedScalarsKeepTheirTypes()
    {
        var node = YamlJson.ParseObject("a: 1.5\nb: ~\nc:\nd: \"no\"\ne: '8008'\nf: 1h\ng: 1e3");
        Assert.Equal(1.5, node["a"]!.GetValue<double>());
        Assert.Null(node["b"]);
        Assert.True(node.ContainsKey("c"));
        Assert.Null(node["c"]);
        Assert.Equal("no", node["d"]!.GetValue<string>());
        Assert.Equal("8008", node["e"]!.GetValue<string>());
        Assert.Equal("1h", node["f"]!.GetValue<string>());
        // PyYAML needs a signed exponent: 1e3 is a string.
        Assert.Equal("1e3", node["g"]!.GetValue<string>());
    }

    [Fact]
    public void DuplicateKeysAreRejected()
    {
        Assert.ThrowsAny<Exception>(() => YamlJson.Parse("a: 1\na: 2"));
    }

    [Theory]
    [InlineData("no: 1")]
    [InlineData("8008: 1")]
    [InlineData("~: 1")]
    public void PlainKeysThatAreNotStringsAreRejected(string yaml)
    {
        Assert.Throws<InvalidDataException>(() => YamlJson.Parse(yaml));
        Assert.NotNull(YamlJson.Parse("\"" + yaml.Replace(":", "\":")));
    }

    [Fact]
    public void NestedStructuresBecomeObjectsAndArrays()
    {
        var node = YamlJson.ParseObject("listeners:\n  - port: 1\n    names: [a, b]\n");
        var listener = Assert.IsType<JsonObject>(node["listeners"]!.AsArray()[0]);
        Assert.Equal(2, listener["names"]!.AsArray().Count);
    }
}
