using System.Collections.Concurrent;
using System.Diagnostics;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Access tokens never reach logs or traces: every log category at trace level is captured (ASP.NET Core's request
/// lines and YARP's forwarding lines carry full URLs), every span of every source is captured, and neither holds a
/// token; the instances still receive the tokens.
/// </summary>
public class SecretRedactionTests
{
    private const string QueryToken = "syt_c2VjcmV0_QueryTokenNeverLogged_1a2b3c";
    private const string HeaderToken = "mat_HeaderTokenNeverLogged9f8e7d";
    private const string RegistrationToken = "RegistrationTokenNeverLogged42";
    private const string BadTargetToken = "BadTargetTokenNeverLogged77";
    private const string BadRequestLineToken = "BadRequestLineTokenNeverLogged5";
    // Parameters Synapse decodes to a secret's name, and the other secrets clients put in queries.
    private const string EscapedUnderscoreToken = "EscapedUnderscoreTokenNeverLogged1";
    private const string EscapedLetterToken = "EscapedLetterTokenNeverLogged2";
    private const string ClientSecret = "ClientSecretNeverLogged3";
    private const string OidcCode = "OidcCodeNeverLogged4";
    // Twisted splits a query on ';' as on '&': Synapse takes this token.
    private const string SemicolonToken = "SemicolonTokenNeverLogged5";
    private const string OidcState = "OidcStateNeverLogged6";
    private const string ThreePidSid = "ThreePidSidNeverLogged7";
    private static readonly string[] Secrets = [QueryToken, HeaderToken, RegistrationToken, BadTargetToken, BadRequestLineToken, EscapedUnderscoreToken, EscapedLetterToken, ClientSecret, OidcCode, SemicolonToken, OidcState, ThreePidSid];

    [Fact]
    public async Task TokensAppearInNoLogLineAndNoSpan()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => spans.Enqueue(
                $"{activity.Source.Name} {activity.DisplayName} {activity.OperationName} {string.Join(";", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(";", activity.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))}"),
        };
        ActivitySource.AddActivityListener(listener);

        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2), ("client-reader", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:LogLevel:Yarp"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Trace",
            ["Router:Health:Interval"] = "3600",
        });
        // The query token's synchrotron goes away: its failure, the retry and their logging happen with the token in the URL.
        var home = await router.ServedByAsync($"/_matrix/client/v3/sync?since=s&access_token={QueryToken}");
        await layout[home].StopAsync();

        for (var n = 0; n < 6; n++)
        {
            using var byQuery = await router.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?since=s{n}&access_token={QueryToken}");
            Assert.True(byQuery.IsSuccessStatusCode);
            using var byHeader = await router.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?since=t{n}", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {HeaderToken}"));
            Assert.True(byHeader.IsSuccessStatusCode);
        }
        using var registration = await router.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/register/m.login.registration_token/validity?token={RegistrationToken}");
        Assert.True(registration.IsSuccessStatusCode);
        foreach (var target in new[]
        {
            $"/_matrix/client/v3/sync?since=e1&access%5Ftoken={EscapedUnderscoreToken}",
            $"/_matrix/client/v3/sync?since=e2&access_tok%65n={EscapedLetterToken}",
            $"/_matrix/client/v3/account/3pid?client_secret={ClientSecret}&sid={ThreePidSid}",
            $"/_synapse/client/oidc/callback?state={OidcState}&code={OidcCode}",
            $"/_matrix/client/v3/sync?since=e3;access_token={SemicolonToken}",
        })
        {
            using var response = await router.SendAsync(HttpMethod.Get, target);
            Assert.True(response.IsSuccessStatusCode, $"{target}: {(int)response.StatusCode}");
        }
        using var bad = await router.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/../sync?access_token={BadTargetToken}");
        Assert.Equal(400, (int)bad.StatusCode);
        // Kestrel refuses this request line itself and logs it, token included, in its message and its exception.
        var (status, _) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET /_matrix/client/v3/sync?a b&access_token={BadRequestLineToken} HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.Equal(400, status);
        await Eventually.HoldsAsync(() => Task.FromResult(router.Logs.All.Contains("Invalid request line")), "Kestrel to log the bad request line");

        // The instances did get the tokens: redaction is for logs and traces only.
        var forwarded = layout.Instances.SelectMany(i => i.Received).ToList();
        Assert.Contains(forwarded, r => r.RawTarget.Contains(QueryToken));
        Assert.Contains(forwarded, r => r.Header("Authorization") == $"Bearer {HeaderToken}");
        Assert.Contains(forwarded, r => r.RawTarget.Contains(RegistrationToken));
        Assert.Contains(forwarded, r => r.RawTarget.Contains(OidcCode));
        Assert.Contains(forwarded, r => r.RawTarget.Contains(SemicolonToken));

        var logs = router.Logs.All;
        // The capture saw the request lines (so the check below looks at real URLs), redacted.
        Assert.Contains("Request starting", logs);
        Assert.Contains("access_token=<redacted>", logs);
        Assert.Contains("taken out after forwarding failures", logs);
        var allSpans = string.Join('\n', spans);
        Assert.Contains("Matrix.Router", allSpans);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, allSpans);
        }
    }
}
