using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// The router process follows a pool published by a real DNS server (dnsmasq) whose records change while it runs, as
/// Kubernetes' cluster DNS publishes a headless service's ready pods: a member that joins takes only keys it wins, about
/// its share, and a member that leaves gives up only its own. The members are real Kestrel servers on 127.0.0.x, one
/// port, so the pool's one destination is <c>http://pool.test:PORT</c>. The reshuffle measured here is in docs/router.md.
/// </summary>
public class DnsReshuffleTests
{
    private const string PoolName = "pool.test";

    // Distinct access tokens, each a sticky key of the synchrotron pool.
    private const int Keys = 2000;

    [Fact]
    public async Task AMemberAddedToDnsTakesOnlyKeysItWinsAndAMemberRemovedGivesUpOnlyItsOwn()
    {
        var output = TestContext.Current.TestOutputHelper;
        await using var main = await FakeSynapseInstance.StartAsync("main", "main");
        var addresses = Enumerable.Range(61, 5).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        var members = new List<FakeSynapseInstance>();
        try
        {
            foreach (var (address, n) in addresses.Select((a, n) => (a, n)))
            {
                members.Add(await FakeSynapseInstance.StartAsync("synchrotron", $"pod-{n + 1}", address, n == 0 ? 0 : members[0].Port));
            }
            var port = members[0].Port;
            var (first4, fifth, second) = (members.Take(4).ToList(), members[4], members[1]);

            await using var dns = await DnsmasqServer.StartAsync(PoolName, addresses.Take(4));
            var routerPort = FreePort.Tcp();
            await using var router = RouterProcess.Start(["--urls", $"http://127.0.0.1:{routerPort}"], new Dictionary<string, string>
            {
                ["Router__Pools__main__0"] = main.Url,
                ["Router__Pools__synchrotron__0"] = $"http://{PoolName}:{port}",
                ["Router__Dns__NameServer"] = dns.NameServer,
                ["Router__Dns__RefreshInterval"] = "0.5",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            });
            await Readiness.WaitForTcpAsync(routerPort, router, TimeSpan.FromSeconds(120));
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{routerPort}") };

            async Task WaitForMembersAsync(IEnumerable<FakeSynapseInstance> expected, string what)
            {
                var urls = expected.Select(m => m.Url).Order(StringComparer.Ordinal).ToList();
                try
                {
                    await Eventually.HoldsAsync(async () => (await HealthySynchrotronsAsync(client)).SequenceEqual(urls), what);
                }
                catch (TimeoutException e)
                {
                    throw new TimeoutException($"{e.Message}; router:\n{router.Output}\ndnsmasq:\n{dns.Output}", e);
                }
            }

            await WaitForMembersAsync(first4, "the router to list the 4 members dnsmasq publishes");
            var withFour = await ServedAsync(client);
            Assert.All(withFour, s => Assert.Contains(s, first4.Select(m => m.Instance)));

            // A pod joins: the name gets a fifth address.
            var clock = Stopwatch.StartNew();
            await dns.SetAddressesAsync(addresses);
            await WaitForMembersAsync(members, "the router to list the member added to DNS");
            output?.WriteLine($"added member listed {clock.ElapsedMilliseconds} ms after SIGHUP (refresh interval 0.5 s)");
            var withFive = await ServedAsync(client);

            var movedToFifth = 0;
            for (var k = 0; k < Keys; k++)
            {
                if (withFive[k] != withFour[k])
                {
                    Assert.True(withFive[k] == fifth.Instance, $"key {k} moved from {withFour[k]} to {withFive[k]}, not to the new member");
                    movedToFifth++;
                }
            }
            output?.WriteLine($"4 -> 5 members: {movedToFifth} of {Keys} keys moved ({100.0 * movedToFifth / Keys:0.0}%), all to the new member");
            AssertAboutItsShare(movedToFifth, members: 5, "keys moved to the fifth member");

            // A pod leaves: its address goes, its server keeps running (only DNS takes it out).
            clock.Restart();
            await dns.SetAddressesAsync(addresses.Where(a => !a.Equals(addresses[1])));
            await WaitForMembersAsync(members.Where(m => m != second), "the router to drop the member removed from DNS");
            output?.WriteLine($"removed member dropped {clock.ElapsedMilliseconds} ms after SIGHUP (refresh interval 0.5 s)");
            var withoutSecond = await ServedAsync(client);

            var movedFromSecond = 0;
            for (var k = 0; k < Keys; k++)
            {
                if (withFive[k] == second.Instance)
                {
                    Assert.NotEqual(second.Instance, withoutSecond[k]);
                    movedFromSecond++;
                }
                else
                {
                    Assert.True(withoutSecond[k] == withFive[k], $"key {k} moved from {withFive[k]} to {withoutSecond[k]}, though its member stayed");
                }
            }
            output?.WriteLine($"5 -> 4 members: {movedFromSecond} of {Keys} keys moved ({100.0 * movedFromSecond / Keys:0.0}%), exactly the removed member's");
            AssertAboutItsShare(movedFromSecond, members: 5, "keys the removed member had");
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Rendezvous hashing gives each key to the best of independent 64-bit scores (XXH64 of the key and the instance
    /// address), and the addresses include this run's free port, so every run draws afresh: one member of
    /// <paramref name="members"/> wins each key with probability p = 1/members, independently, and the count is
    /// Binomial(Keys, p). For 2000 keys and 5 members: mean 400, standard deviation sqrt(2000 × 0.2 × 0.8) ≈ 17.9.
    /// Five standard deviations (±90) fail a correct router about once in 1.7 million runs (two-sided normal tail
    /// 5.7e-7), while a hash that reshuffles (modulo the member count) moves about 4/5 of the keys, far outside.
    /// </summary>
    private static void AssertAboutItsShare(int count, int members, string what)
    {
        var p = 1.0 / members;
        var mean = Keys * p;
        var tolerance = 5 * Math.Sqrt(Keys * p * (1 - p));
        Assert.True(Math.Abs(count - mean) <= tolerance, $"{what}: {count} of {Keys}, expected {mean} ± {tolerance:0}");
    }

    // The instance that served a sync of each key, in key order.
    private static async Task<string[]> ServedAsync(HttpClient client)
    {
        var served = new string[Keys];
        await Parallel.ForEachAsync(Enumerable.Range(0, Keys), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (k, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_matrix/client/v3/sync?since=s1&timeout=0");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer syt_cmVzaHVmZmxl_{k}_dns");
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.Headers.TryGetValues("X-Backend-Instance", out var instance))
            {
                throw new InvalidOperationException($"key {k} was not served by an instance: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            served[k] = instance.Single();
        });
        return served;
    }

    // The synchrotron instances the router's status page lists as healthy, by URL.
    private static async Task<List<string>> HealthySynchrotronsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/_router/status", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. status.RootElement.GetProperty("pools").EnumerateArray()
            .Where(p => p.GetProperty("pool").GetString() == "synchrotron")
            .SelectMany(p => p.GetProperty("instances").EnumerateArray())
            .Where(i => i.GetProperty("healthy").GetBoolean())
            .Select(i => i.GetProperty("instance").GetString()!)
            .Order(StringComparer.Ordinal)];
    }
}
