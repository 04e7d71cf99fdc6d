using System.Net;
using System.Security.Cryptography;
using Matrix.Router.Configuration;
using Matrix.Tests.Router.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.Tests.Router;

/// <summary>Downloads stream through unbuffered, uploads pass up to their limit and stop beyond it, long-polls may idle long.</summary>
public class StreamingAndLimitsTests
{
    [Fact]
    public async Task ADownloadReachesTheClientWhileTheInstanceIsStillSendingIt()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        var media = layout["media-repository-1"];
        media.StreamInTwoParts = true;

        using var request = router.Request(HttpMethod.Get, "/_matrix/client/v1/media/download/example.org/big");
        using var response = await router.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var first = new byte["first part;".Length];
        await stream.ReadExactlyAsync(first, TestContext.Current.CancellationToken);
        // The instance has not sent the rest yet: it waits for this release, so what we read came through unbuffered.
        Assert.Equal("first part;", System.Text.Encoding.ASCII.GetString(first));
        media.ReleaseStream();
        Assert.Equal("second part", await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UploadsUpToTheLimitArriveIntactAndLargerOnesGet413()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Limits:MaxUploadSize"] = "16M",
            ["Router:Limits:MaxRequestBodySize"] = "64K",
        });
        var media = layout["media-repository-1"];
        var file = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);

        using var ok = await router.SendAsync(HttpMethod.Post, "/_matrix/media/v3/upload?filename=a.bin", r => r.Content = new ByteArrayContent(file));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(SHA256.HashData(file), SHA256.HashData(media.Received.Last().Body));

        var count = media.Received.Count;
        // Like curl for large bodies, ask before sending: the router refuses on the declared length alone.
        using var tooLarge = await router.SendAsync(HttpMethod.Post, "/_matrix/media/v3/upload?filename=b.bin", r =>
        {
            r.Headers.ExpectContinue = true;
            r.Content = new ByteArrayContent(new byte[16 * 1024 * 1024 + 1]);
        });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("M_TOO_LARGE", await tooLarge.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(count, media.Received.Count);

        // The smaller limit applies to everything that is not media, streamed (chunked) bodies included.
        using var json = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", r =>
            r.Content = new StreamContent(new MemoryStream(new byte[128 * 1024])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
    }

    [Fact]
    public void ByDefaultALongPollMayIdleLongerThan90SecondsAndBodyLimitsAreSynapses()
    {
        var options = RouterOptionsTests.Read(("Router:Pools:main:0", "http://synapse-main:8008"));
        Assert.True(options.Limits.ActivityTimeout > TimeSpan.FromSeconds(90));
        // Synapse's defaults: max_upload_size 50M; 200 × 64 KiB for every process that does not load the media repository.
        Assert.Equal(50L * 1024 * 1024, options.Limits.MaxUploadSize);
        Assert.Equal(13_107_200, options.Limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task TheRouterForwardsWithTheConfiguredActivityTimeout()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:Limits:ActivityTimeout"] = "00:03:00" });
        Assert.Equal(TimeSpan.FromMinutes(3), router.Services.GetRequiredService<RouterOptions>().Limits.ActivityTimeout.Value);
    }
}
