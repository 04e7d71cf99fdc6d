using System.Net;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Bodies against processes that read them as Synapse does (<see cref="TwistedLikeBackend"/>: past its
/// <c>max_request_body_size</c> the connection is reset): the router refuses what the target process would abort, so
/// no client can make an instance fail, and a failure while a client is still sending counts against nobody.
/// </summary>
public class BodyLimitTests
{
    private const long SynapseLimit = TwistedLikeBackend.SynapseBodyLimit;

    [Fact]
    public async Task BodiesOverWhatTheTargetProcessReadsGet413AndNeverReachOrHarmIt()
    {
        await using var main = TwistedLikeBackend.Start("main");
        await using var media = TwistedLikeBackend.Start("media-repository-1", maxBodySize: 50L * 1024 * 1024);
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?>
        {
            ["Router:Pools:main:0"] = main.Url,
            ["Router:Pools:media-repository:0"] = media.Url,
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "2",
        });
        var ct = TestContext.Current.CancellationToken;

        // More than PassiveHealth:ConsecutiveFailures attempts: before the fix each one was a reset counted against main.
        for (var n = 0; n < 4; n++)
        {
            using var declared = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r =>
            {
                r.Headers.ExpectContinue = true;
                r.Content = new ByteArrayContent(new byte[SynapseLimit + 1]);
            });
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
            Assert.Contains("M_TOO_LARGE", await declared.Content.ReadAsStringAsync(ct));

            // Streamed (chunked): cut off at the limit with 413. The client may still be sending when the router answers
            // and closes, so its HttpClient may report the closed connection instead of the 413.
            try
            {
                using var streamed = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r =>
                    r.Content = new StreamContent(new MemoryStream(new byte[SynapseLimit + 1])));
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
            }
            catch (HttpRequestException)
            {
            }
        }

        // What Synapse reads is forwarded whole: exactly the limit to main, more than it to the media repository.
        using var atLimit = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r => r.Content = new ByteArrayContent(new byte[SynapseLimit]));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal("main", atLimit.Headers.GetValues("X-Backend-Instance").Single());
        using var upload = await router.SendAsync(HttpMethod.Post, "/_matrix/media/v3/upload?filename=a.bin", r => r.Content = new ByteArrayContent(new byte[20 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        Assert.Equal(0, main.ResetForBodySize);
        Assert.Equal(0, media.ResetForBodySize);
        await AssertUnharmedAsync(router, main.Url);
    }

    [Fact]
    public async Task AResetWhileTheClientIsStillSendingItsBodyIsNotCountedAgainstTheInstance()
    {
        // The media repository reads less than the router lets through (Synapse's max_upload_size set lower than the
        // router was told): it resets every upload mid-body. That is the client's body, not the instance failing.
        await using var main = TwistedLikeBackend.Start("main");
        await using var media = TwistedLikeBackend.Start("media-repository-1", maxBodySize: 1024 * 1024);
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?>
        {
            ["Router:Pools:main:0"] = main.Url,
            ["Router:Pools:media-repository:0"] = media.Url,
            ["Router:Limits:MaxUploadSize"] = "64M",
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "2",
        });

        for (var n = 0; n < 4; n++)
        {
            try
            {
                using var response = await router.SendAsync(HttpMethod.Post, "/_matrix/media/v3/upload?filename=big.bin",
                    r => r.Content = new ByteArrayContent(new byte[40 * 1024 * 1024]));
                Assert.True((int)response.StatusCode >= 400, $"upload {n} answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                // The router may end the connection while the client is still sending: that is an answer too.
            }
        }

        Assert.True(media.ResetForBodySize >= 4, $"the backend reset {media.ResetForBodySize} uploads");
        await AssertUnharmedAsync(router, media.Url);
    }

    private static async Task AssertUnharmedAsync(RouterUnderTest router, string instanceUrl)
    {
        using var status = await router.StatusAsync();
        var instance = status.RootElement.GetProperty("pools").EnumerateArray()
            .SelectMany(p => p.GetProperty("instances").EnumerateArray())
            .Single(i => i.GetProperty("instance").GetString() == instanceUrl);
        Assert.True(instance.GetProperty("healthy").GetBoolean(), instance.ToString());
        Assert.Equal(0, instance.GetProperty("failures").GetInt32());
        Assert.DoesNotContain(router.Logs.Entries, l => l.Contains("taken out", StringComparison.Ordinal));
    }
}
