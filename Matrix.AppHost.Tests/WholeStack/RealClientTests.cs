using System.Text.Json.Nodes;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The stack driven by a real Matrix client, through the router only: matrix-js-sdk 43 with its Rust cryptography
/// (tests/js-client/encrypted-chat.mjs), making the requests, in the order and shapes, that Element Web's SDK makes. The
/// hand-written <see cref="MatrixClient"/> does only what that SDK cannot: shared-secret registration (a Synapse admin
/// API) and reading the events as the server holds them, undecrypted.
/// </summary>
[Collection(WholeStackCollection.Name)]
public sealed class RealClientTests(WholeStackFixture stack)
{
    private const string Password = "correct horse battery staple";
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Matrix_js_sdk_users_chat_encrypted_share_an_attachment_and_a_second_device_reads_old_messages_from_the_key_backup()
    {
        var script = JsClientScript.Require("encrypted-chat.mjs");
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var alice = await RegisteredAsync("alice", ct);
        var bob = await RegisteredAsync("bob", ct);

        var input = new JsonObject
        {
            ["baseUrl"] = stack.App.GetEndpoint(MatrixRouterExtensions.ResourceName, MatrixRouterExtensions.HttpEndpoint).ToString().TrimEnd('/'),
            ["alice"] = new JsonObject { ["user"] = alice.Name, ["password"] = Password },
            ["bob"] = new JsonObject { ["user"] = bob.Name, ["password"] = Password },
            ["budgetSeconds"] = (int)(Budget - TimeSpan.FromMinutes(1)).TotalSeconds,
        };
        var run = await stack.Resources.WithFailuresAsync(
            script.RunAsync(input, line => TestContext.Current.SendDiagnosticMessage($"js-client: {line.ToJsonString()}"), ct),
            "matrix-js-sdk's encrypted chat");
        var summary = run.Steps("summary").SingleOrDefault();
        if (summary is not null)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"matrix-js-sdk through the router: {summary.ToJsonString(new() { WriteIndented = true })}");
        }
        Assert.True(run.ExitCode == 0, $"encrypted-chat.mjs failed (exit {run.ExitCode}): {run.Steps("error").FirstOrDefault()?["message"]}\nIts log:\n{run.LogTail}");

        // Five messages each way and one after the second device signed in, each decrypted by the other side's client.
        var messages = run.Steps("message").ToList();
        Assert.Equal(11, messages.Count);
        Assert.Equal(5, messages.Count(m => m["from"]!.GetValue<string>() == "alice" && m["decryptedBy"]!.GetValue<string>() == "bob"));
        Assert.Equal(6, messages.Count(m => m["from"]!.GetValue<string>() == "bob" && m["decryptedBy"]!.GetValue<string>().Contains("alice", StringComparison.Ordinal)));
        Assert.Contains(messages, m => m["decryptedBy"]!.GetValue<string>().Contains("alice-laptop", StringComparison.Ordinal));

        var attachment = run.Single("attachment");
        Assert.StartsWith("/_matrix/client/v1/media/download/", attachment["downloadPath"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(attachment["ciphertextDiffers"]!.GetValue<bool>(), "the uploaded attachment was its plain text");
        Assert.Equal(attachment["sentSha256"]!.GetValue<string>(), attachment["decryptedSha256"]!.GetValue<string>());

        var fromBackup = run.Single("earlier-message-from-backup");
        Assert.True(fromBackup["keysImported"]!.GetValue<int>() > 0, $"the second device imported no key from the backup: {fromBackup.ToJsonString()}");

        // What the server holds: every one of them a Megolm-encrypted event, no text in the clear.
        var events = run.Single("events");
        var roomId = events["roomId"]!.GetValue<string>();
        foreach (var eventId in events["eventIds"]!.AsArray().Select(id => id!.GetValue<string>()))
        {
            var held = await bob.Client.EventAsync(roomId, eventId, ct);
            Assert.Equal("m.room.encrypted", held["type"]?.GetValue<string>());
            Assert.Equal("m.megolm.v1.aes-sha2", held["content"]?["algorithm"]?.GetValue<string>());
            Assert.Null(held["content"]?["body"]);
        }

        // The client's own sync loop ran throughout: incremental long-polls, keys delivered as to-device messages, and
        // not one answer from the server or the router was a 5xx.
        Assert.NotNull(summary);
        Assert.True(summary["incrementalSyncs"]!.GetValue<int>() > 0, summary.ToJsonString());
        Assert.True(summary["toDeviceMessages"]!.GetValue<int>() > 0, summary.ToJsonString());
        Assert.Empty(summary["serverErrors"]!.AsArray());
        Assert.Empty(summary["networkErrors"]!.AsArray());
    }

    private async Task<(string Name, MatrixClient Client)> RegisteredAsync(string name, CancellationToken ct)
    {
        var client = stack.Client();
        var user = $"{name}-{Guid.NewGuid():N}"[..16];
        await client.RegisterAsync(AppHostFactory.SecretValue("registration-shared-secret"), user, Password, ct);
        return (user, client);
    }
}
