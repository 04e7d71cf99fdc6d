using System.Text.Json.Nodes;
using Matrix.Stack.ElementWeb;
using Matrix.Stack.WellKnown;

namespace Matrix.Tests.Stack.Components;

/// <summary>Element Web's <c>config.json</c>, parsed as JSON.</summary>
public class ElementWebConfigTests
{
    [Fact]
    public void PointsAtThisHomeserverOnly()
    {
        var config = ComponentFiles.Render(o =>
        {
            o.ServerName = "example.org";
            o.PublicBaseUrl = "https://matrix.example.org/";
            o.ElementWeb.Brand = "Example Chat";
        }).Single(ElementWebConfigRenderer.ConfigPath).Json();

        var homeserver = config["default_server_config"]!["m.homeserver"]!;
        Assert.Equal("https://matrix.example.org", (string?)homeserver["base_url"]);
        Assert.Equal("example.org", (string?)homeserver["server_name"]);
        Assert.Equal("Example Chat", (string?)config["brand"]);
        Assert.True((bool?)config["disable_custom_urls"]);
        Assert.Equal("example.org", (string?)config["room_directory"]!["servers"]![0]);
        Assert.Null(config["default_server_name"]); // Element refuses to load with both
        Assert.Null(config["default_hs_url"]);
    }

    [Fact]
    public void UsesElementCallExclusivelyWhenLiveKitIsOn()
    {
        var files = ComponentFiles.Render(o => o.ServerName = "example.org");
        var config = files.Single(ElementWebConfigRenderer.ConfigPath).Json();
        var wellKnown = files.Single(WellKnownRenderer.ClientPath).Json();

        Assert.True((bool?)config["features"]!["feature_group_calls"]);
        Assert.True((bool?)config["element_call"]!["use_exclusively"]);
        // The focus Element sees in its default server config is the one the well-known advertises.
        Assert.True(JsonNode.DeepEquals(wellKnown[ClientWellKnown.RtcFociKey], config["default_server_config"]![ClientWellKnown.RtcFociKey]));
    }

    [Fact]
    public void OffersNoGroupCallsWithoutLiveKit()
    {
        var config = ComponentFiles.Render(o => o.LiveKit.Enabled = false).Single(ElementWebConfigRenderer.ConfigPath).Json();

        Assert.False((bool?)config["features"]!["feature_group_calls"]);
        Assert.Null(config["element_call"]);
        Assert.Null(config["default_server_config"]![ClientWellKnown.RtcFociKey]);
    }

    [Fact]
    public void DisabledElementWebRendersNothing()
    {
        var files = ComponentFiles.Render(o => o.ElementWeb.Enabled = false);

        Assert.DoesNotContain(files, f => f.Component == "element-web");
    }
}
