using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>The client-server API calls the whole-stack tests make, each through the router, each checked for success.</summary>
public sealed class MatrixClient(HttpClient http)
{
    public string UserId { get; private set; } = "";

    /// <summary>
    /// Shared-secret registration (Synapse admin API): HMAC-SHA1 over nonce, user, password and "admin"/"notadmin",
    /// written out here rather than taken from Matrix.Stack's SharedSecretRegistration, which these tests check. The
    /// client then acts with the access token the registration returns (no password login: Synapse allows five a burst).
    /// </summary>
    public async Task RegisterAsync(string sharedSecret, string user, string password, CancellationToken ct, bool admin = false)
    {
        var nonce = (await http.GetFromJsonAsync<JsonObject>("/_synapse/admin/v1/register", ct))!["nonce"]!.GetValue<string>();
        var message = Encoding.UTF8.GetBytes($"{nonce}\0{user}\0{password}\0{(admin ? "admin" : "notadmin")}");
        var mac = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), message));
        var registered = await SendAsync(HttpMethod.Post, "/_synapse/admin/v1/register",
            new JsonObject { ["nonce"] = nonce, ["username"] = user, ["password"] = password, ["mac"] = mac, ["admin"] = admin }, ct);
        UserId = registered["user_id"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", registered["access_token"]!.GetValue<string>());
    }

    public async Task LoginAsync(string user, string password, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user },
            ["password"] = password,
        }, ct);
        UserId = response["user_id"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", response["access_token"]!.GetValue<string>());
    }

    /// <summary>Synapse's admin API on <paramref name="userId"/>: true for a server admin (only an admin may ask).</summary>
    public async Task<bool> IsServerAdminAsync(string userId, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"/_synapse/admin/v1/users/{Uri.EscapeDataString(userId)}/admin", null, ct))["admin"]!.GetValue<bool>();

    public async Task<string> CreateRoomAsync(string invite, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom",
            new JsonObject { ["preset"] = "private_chat", ["invite"] = new JsonArray(invite) }, ct))["room_id"]!.GetValue<string>();

    public Task JoinAsync(string roomId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", new JsonObject(), ct);

    public async Task<string> SendTextAsync(string roomId, string body, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Guid.NewGuid():N}",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = body }, ct))["event_id"]!.GetValue<string>();

    /// <summary>Asks to list a room in the server's room directory; the status code says whether it was allowed.</summary>
    public async Task<HttpStatusCode> PublishRoomAsync(string roomId, CancellationToken ct)
    {
        using var response = await http.PutAsJsonAsync($"/_matrix/client/v3/directory/list/room/{Uri.EscapeDataString(roomId)}",
            new JsonObject { ["visibility"] = "public" }, ct);
        return response.StatusCode;
    }

    /// <summary>One event as the server holds it (encrypted events stay encrypted: this client has no keys).</summary>
    public Task<JsonObject> EventAsync(string roomId, string eventId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/event/{Uri.EscapeDataString(eventId)}", null, ct);

    /// <summary>One /sync: with <paramref name="since"/> and a timeout it is a long-poll that returns when something happens.</summary>
    public async Task<(string NextBatch, IReadOnlyList<string> Bodies)> SyncAsync(string roomId, string? since, TimeSpan timeout, CancellationToken ct)
    {
        var query = $"timeout={(int)timeout.TotalMilliseconds}" + (since is null ? "" : $"&since={Uri.EscapeDataString(since)}");
        var sync = await SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?{query}", null, ct);
        var events = sync["rooms"]?["join"]?[roomId]?["timeline"]?["events"]?.AsArray() ?? [];
        return (sync["next_batch"]!.GetValue<string>(), Bodies(events));
    }

    /// <summary>One page of <c>/messages</c> backwards: the bodies, newest first, and the token of the next page.</summary>
    public async Task<(IReadOnlyList<string> Bodies, string? End)> MessagesAsync(string roomId, string? from, int limit, CancellationToken ct)
    {
        var query = $"dir=b&limit={limit}" + (from is null ? "" : $"&from={Uri.EscapeDataString(from)}");
        var page = await SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?{query}", null, ct);
        return (Bodies(page["chunk"]!.AsArray()), page["end"]?.GetValue<string>());
    }

    public async Task<(string ServerName, string MediaId)> UploadAsync(byte[] content, CancellationToken ct)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new("application/octet-stream");
        using var response = await http.PostAsync("/_matrix/media/v3/upload?filename=probe.bin", body, ct);
        await EnsureSuccessAsync(response, ct);
        var uri = new Uri((await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["content_uri"]!.GetValue<string>());
        return (uri.Host, uri.AbsolutePath.Trim('/'));
    }

    public async Task<byte[]> DownloadAsync(string serverName, string mediaId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/_matrix/client/v1/media/download/{serverName}/{mediaId}", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>Synapse's TURN credentials for this user: URIs, a time-limited username and its password.</summary>
    public async Task<(IReadOnlyList<string> Uris, string Username, string Password)> TurnServerAsync(CancellationToken ct)
    {
        var turn = await SendAsync(HttpMethod.Get, "/_matrix/client/v3/voip/turnServer", null, ct);
        return (turn["uris"]!.AsArray().Select(u => u!.GetValue<string>()).ToList(), turn["username"]!.GetValue<string>(), turn["password"]!.GetValue<string>());
    }

    private static List<string> Bodies(JsonArray events) =>
        events.Where(e => e?["type"]?.GetValue<string>() == "m.room.message")
            .Select(e => e!["content"]!["body"]!.GetValue<string>())
            .ToList();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }

    // The answer's body names what Synapse or the router objected to; EnsureSuccessStatusCode would drop it.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 500)]}");
        }
    }
}
