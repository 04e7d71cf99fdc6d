using Matrix.AppHost.Media;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The whole stack in containers, driven through Matrix.Router only. Needs a container runtime; skips, saying so,
/// without one. The monolith preset keeps the run small; the media test makes the janitor offload at once.
/// </summary>
public sealed class WholeStackTests
{
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task A_registered_user_sends_a_message_and_sees_it_in_sync()
    {
        ContainerRuntime.SkipUnlessAvailable();
        using var cancellation = new CancellationTokenSource(StartupBudget);
        var ct = cancellation.Token;
        await using var builder = await AppHostFactory.CreateAsync("monolith");
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("router", ct);

        var client = new MatrixClient(app.CreateHttpClient("router"));
        await client.RegisterAsync(AppHostFactory.SecretValue("registration-shared-secret"), "alice", "correct horse battery", ct);
        await client.LoginAsync("alice", "correct horse battery", ct);
        var room = await client.CreateRoomAsync(ct);
        await client.SendTextAsync(room, "hello through the router", ct);

        Assert.Contains("hello through the router", await client.SyncedBodiesAsync(room, ct));
    }

    [Fact]
    public async Task Uploaded_media_is_downloaded_back_after_the_janitor_moved_it_to_S3()
    {
        ContainerRuntime.SkipUnlessAvailable();
        using var cancellation = new CancellationTokenSource(StartupBudget);
        var ct = cancellation.Token;
        await using var builder = await AppHostFactory.CreateAsync("monolith");
        // Offload everything at once, every few seconds, instead of media older than 30 days once an hour.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == MediaJanitorExtensions.ResourceName))
            .WithEnvironment("Janitor__Offload__MinimumAge", "0s")
            .WithEnvironment("Janitor__Offload__MinimumFileAge", "0s")
            .WithEnvironment("Janitor__Schedule__Interval", "5s");
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("router", ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(MediaJanitorExtensions.ResourceName, ct);

        var client = new MatrixClient(app.CreateHttpClient("router"));
        await client.RegisterAsync(AppHostFactory.SecretValue("registration-shared-secret"), "bob", "correct horse battery", ct);
        await client.LoginAsync("bob", "correct horse battery", ct);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64 * 1024);
        var (server, mediaId) = await client.UploadAsync(content, ct);

        // The local copy disappears once the janitor has uploaded and verified it; Synapse then serves it from S3.
        var localFile = LocalMediaPath(builder, mediaId);
        while (File.Exists(localFile))
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        Assert.Equal(content, await client.DownloadAsync(server, mediaId, ct));
    }

    // Synapse's layout of local media (local_content/ab/cd/efgh...) under the host folder bind-mounted as the media store.
    private static string LocalMediaPath(IDistributedApplicationTestingBuilder builder, string mediaId)
    {
        var store = builder.Configuration["Matrix:MediaStoreHostPath"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "matrix-stack", "media_store");
        return Path.Combine(store, "local_content", mediaId[..2], mediaId[2..4], mediaId[4..]);
    }
}
