using System.Net;
using Amazon.S3.Model;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Tests.Stack.Components.Turn;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The AppHost's model running for real (PostgreSQL, Redis, coturn and Synapse 1.160 containers, the router and the media
/// janitor as processes, s3rver), driven only through the router's endpoint. Outside CI it skips, naming what is missing (podman, s3rver, the local images); in CI that fails (<see cref="WholeStackRequirement"/>).
/// </summary>
[Collection(WholeStackCollection.Name)]
public sealed class WholeStackTests(WholeStackFixture stack)
{
    private const string Password = "correct horse battery staple";
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task TwoUsersTalkInARoomSeeEachOtherInALongPolledSyncAndPaginateHistory()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        // Alice logs in with her password; other users act with their registration's token, because Synapse allows five
        // password logins per client address in a burst and every request here comes from the same one: this test one,
        // the first-user test one, the matrix-js-sdk test three.
        var alice = await RegisteredAsync("alice", ct, logIn: true);
        var bob = await RegisteredAsync("bob", ct);

        var room = await alice.CreateRoomAsync(bob.UserId, ct);
        await bob.JoinAsync(room, ct);
        var sent = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            sent.Add($"message {i} from alice");
            await alice.SendTextAsync(room, sent[^1], ct);
        }
        var (since, initial) = await alice.SyncAsync(room, since: null, TimeSpan.Zero, ct);
        Assert.Contains(sent[^1], initial);

        // Alice's long-poll is waiting when Bob writes; it returns with his message.
        var poll = LongPollUntilAsync(alice, room, since, "bob answers", ct);
        await bob.SendTextAsync(room, "bob answers", ct);
        Assert.Contains("bob answers", await stack.Resources.WithFailuresAsync(poll, "alice's sync to see bob's message"));

        // History backwards in pages of two: every message, newest first, nothing twice.
        var history = new List<string>();
        string? from = null;
        do
        {
            var (bodies, end) = await bob.MessagesAsync(room, from, limit: 2, ct);
            history.AddRange(bodies);
            from = bodies.Count == 0 ? null : end;
        }
        while (from is not null);
        Assert.Equal(new[] { "bob answers" }.Concat(Enumerable.Reverse(sent)), history);
    }

    [Fact]
    public async Task TheReadmesFirstUserCommandMakesAnAdminWhoLogsInAndASecondRunNamesTheExistingUser()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var router = stack.App.GetEndpoint(Matrix.AppHost.Routing.MatrixRouterExtensions.ResourceName, Matrix.AppHost.Routing.MatrixRouterExtensions.HttpEndpoint);
        var arguments = DocumentedFirstUser.Arguments(router);
        var secret = AppHostFactory.SecretValue("registration-shared-secret");

        var (code, output, error) = await DocumentedFirstUser.RunAsync(arguments, secret, ct);
        Assert.True(code == 0, $"`matrix-stack {string.Join(' ', arguments)}` exited {code}: {error}");
        var userId = System.Text.RegularExpressions.Regex.Match(output, @"^created (@\S+)", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        var password = System.Text.RegularExpressions.Regex.Match(output, @"^password: (\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        Assert.False(userId.Length == 0 || password.Length == 0, $"no user ID or password in the output: {output}");

        var admin = stack.Client();
        await admin.LoginAsync(userId[1..userId.IndexOf(':', StringComparison.Ordinal)], password, ct);
        Assert.Equal(userId, admin.UserId);
        Assert.True(await admin.IsServerAdminAsync(userId, ct), $"{userId} is not a server admin (README passes --admin)");

        (code, _, error) = await DocumentedFirstUser.RunAsync(arguments, secret, ct);
        Assert.Equal(1, code);
        Assert.Contains("exists already", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadedMediaDownloadsBackThenTheJanitorMovesItToS3AndFreesTheLocalFile()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var carol = await RegisteredAsync("carol", ct);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(256 * 1024);
        var (server, mediaId) = await carol.UploadAsync(content, ct);
        Assert.Equal(content, await carol.DownloadAsync(server, mediaId, ct));

        // Synapse's layout of local media: local_content/ab/cd/efgh..., the same key in the bucket.
        var key = $"local_content/{mediaId[..2]}/{mediaId[2..4]}/{mediaId[4..]}";
        var localFile = Path.Combine(stack.MediaStore, key);
        Assert.True(File.Exists(localFile), $"Synapse stored the upload at {localFile}");
        await stack.Resources.WithFailuresAsync(WaitUntilGoneAsync(localFile, ct), "the media janitor to offload the upload");

        using var s3 = stack.S3Client();
        using var stored = await s3.GetObjectAsync(new GetObjectRequest { BucketName = WholeStackFixture.Bucket, Key = key }, ct);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy, ct);
        Assert.Equal(content, copy.ToArray());

        // True here and only here: without synapse-s3-storage-provider (not packaged by Debian) Synapse cannot read the
        // offloaded file back; with the production image it serves it from S3.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => carol.DownloadAsync(server, mediaId, ct));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurnCredentialsFromSynapseOpenAnAllocationOnTheCoturnContainer()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var dave = await RegisteredAsync("dave", ct);
        var (uris, username, password) = await dave.TurnServerAsync(ct);
        var udp = uris.First(uri => uri.StartsWith("turn:", StringComparison.Ordinal) && uri.Contains("transport=udp", StringComparison.Ordinal));
        var port = int.Parse(udp.Split('?')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

        using var turn = new TurnClient(new IPEndPoint(IPAddress.Loopback, port));
        var allocation = await turn.AllocateAsync(username, password);
        Assert.True(allocation.Error is null, $"coturn refused the allocation: {allocation}");
        Assert.NotNull(allocation.Get(StunAttributeType.XorRelayedAddress));

        using var stranger = new TurnClient(new IPEndPoint(IPAddress.Loopback, port));
        var refused = await stranger.AllocateAsync(username, password + "x");
        Assert.Equal(401, refused.Error?.Code);
    }

    [Fact]
    public async Task OnlyTheConfiguredPublisherMayListARoomInTheDirectory()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var publisher = await RegisteredAsync(stack.DirectoryPublisher, ct, exactName: true);
        var frank = await RegisteredAsync("frank", ct);

        var room = await publisher.CreateRoomAsync(frank.UserId, ct);
        Assert.Equal(HttpStatusCode.OK, await publisher.PublishRoomAsync(room, ct));
        var franksRoom = await frank.CreateRoomAsync(publisher.UserId, ct);
        Assert.Equal(HttpStatusCode.Forbidden, await frank.PublishRoomAsync(franksRoom, ct));
    }

    [Fact]
    public async Task TheRouterAndTheJanitorExportTracesMetricsAndLogsOverOtlp()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        // A request through the router makes a span of the router's own source; the janitor runs every few seconds.
        var erin = await RegisteredAsync("erin", ct);
        await erin.TurnServerAsync(ct);

        await stack.Resources.WithFailuresAsync(UntilReceivedAsync([
            ("traces", "Matrix.Router"),
            ("metrics", "Matrix.Router"),
            ("logs", "router"),
            ("metrics", "Matrix.MediaJanitor"),
            ("logs", "media-janitor"),
        ], ct), "the router's and the janitor's telemetry");
    }

    // Exporters send every second or so under Aspire's development settings; wait until each signal has arrived.
    private async Task UntilReceivedAsync(IReadOnlyList<(string Signal, string Text)> expected, CancellationToken ct)
    {
        while (!expected.All(e => stack.Telemetry.Received(e.Signal, e.Text)))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task<MatrixClient> RegisteredAsync(string name, CancellationToken ct, bool exactName = false, bool logIn = false)
    {
        var client = stack.Client();
        var user = exactName ? name : $"{name}-{Guid.NewGuid():N}"[..16];
        await client.RegisterAsync(AppHostFactory.SecretValue("registration-shared-secret"), user, Password, ct);
        if (logIn)
        {
            await client.LoginAsync(user, Password, ct);
        }
        return client;
    }

    // A long-poll can also return for other news (receipts, membership): poll again from where it left off.
    private static async Task<IReadOnlyList<string>> LongPollUntilAsync(MatrixClient client, string room, string since, string body, CancellationToken ct)
    {
        while (true)
        {
            var (next, bodies) = await client.SyncAsync(room, since, TimeSpan.FromSeconds(60), ct);
            if (bodies.Contains(body))
            {
                return bodies;
            }
            since = next;
        }
    }

    private static async Task WaitUntilGoneAsync(string path, CancellationToken ct)
    {
        while (File.Exists(path))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
