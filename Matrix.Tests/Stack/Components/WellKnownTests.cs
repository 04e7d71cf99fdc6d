using Matrix.Stack.Rendering;
using Matrix.Stack.WellKnown;

namespace Matrix.Tests.Stack.Components;

/// <summary><c>/.well-known/matrix/server</c> and <c>/.well-known/matrix/client</c>, parsed as JSON.</summary>
public class WellKnownTests
{
    [Fact]
    public void ServerDelegatesFederationToTheFederationAuthority()
    {
        var byDefault = ComponentFiles.Render(o => o.ServerName = "example.org").Single(WellKnownRenderer.ServerPath).Json();
        var delegated = ComponentFiles.Render(o =>
        {
            o.ServerName = "example.org";
            o.FederationBaseUrl = "https://federation.example.org:8448";
        }).Single(WellKnownRenderer.ServerPath).Json();

        Assert.Equal("example.org:443", (string?)byDefault["m.server"]);
        Assert.Equal("federation.example.org:8448", (string?)delegated["m.server"]);
    }

    [Fact]
    public void ClientPointsAtTheHomeserverBaseUrlWithoutTrailingSlash()
    {
        var client = ComponentFiles.Render(o =>
        {
            o.ServerName = "example.org";
            o.PublicBaseUrl = "https://matrix.example.org/";
        }).Single(WellKnownRenderer.ClientPath).Json();

        Assert.Equal("https://matrix.example.org", (string?)client["m.homeserver"]!["base_url"]);
    }

    [Fact]
    public void ClientAdvertisesTheLiveKitFocusWhenLiveKitIsOn()
    {
        var byDefault = ComponentFiles.Render(o => o.ServerName = "example.org:8448").Single(WellKnownRenderer.ClientPath).Json();
        var explicitUrl = ComponentFiles.Render(o => o.LiveKit.JwtServicePublicUrl = "https://rtc.example.org/livekit/jwt/")
            .Single(WellKnownRenderer.ClientPath).Json();

        var focus = Assert.Single(byDefault[ClientWellKnown.RtcFociKey]!.AsArray())!;
        Assert.Equal("livekit", (string?)focus["type"]);
        // The port belongs to the server name, not to the derived host.
        Assert.Equal("https://livekit-jwt.example.org", (string?)focus["livekit_service_url"]);
        Assert.Equal("https://rtc.example.org/livekit/jwt", (string?)explicitUrl[ClientWellKnown.RtcFociKey]![0]!["livekit_service_url"]);
    }

    [Fact]
    public void ClientHasNoFocusWhenLiveKitIsOff()
    {
        var client = ComponentFiles.Render(o => o.LiveKit.Enabled = false).Single(WellKnownRenderer.ClientPath).Json();

        Assert.Null(client[ClientWellKnown.RtcFociKey]);
        Assert.NotNull(client["m.homeserver"]);
    }

    [Fact]
    public void BothAreConfigFiles()
    {
        var files = ComponentFiles.Render();

        Assert.Equal(RenderedFileKind.Config, files.Single(WellKnownRenderer.ServerPath).Kind);
        Assert.Equal(RenderedFileKind.Config, files.Single(WellKnownRenderer.ClientPath).Kind);
    }
}
