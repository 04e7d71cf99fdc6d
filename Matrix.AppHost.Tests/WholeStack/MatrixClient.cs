using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>The few client-server API calls the whole-stack tests make, all through the router.</summary>
public sealed class MatrixClient(HttpClient http)
{
    /// <summary>Shared-secret registration (Synapse admin API): HMAC-SHA1 over nonce, user, password and "notadmin".</summary>
    public async Task RegisterAsync(string sharedSecret, string user, string password, CancellationToken ct)
    {
        var nonce = (await http.GetFromJsonAsync<JsonObject>("/_synapse/admin/v1/register", ct))!["nonce"]!.GetValue<string>();
        var message = Encoding.UTF8.GetBytes($"{nonce}\0{user}\0{password}\0notadmin");
        var mac = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), message));
        var response = await http.PostAsJsonAsync("/_synapse/admin/v1/register",
            new JsonObject { ["nonce"] = nonce, ["username"] = user, ["password"] = password, ["mac"] = mac, ["admin"] = false }, ct);
        response.EnsureSuccessStatusCode();
    }

    public async Task LoginAsync(string user, string password, CancellationToken ct)
    {
        var response = await http.PostAsJsonAsync("/_matrix/client/v3/login", new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user },
            ["password"] = password,
        }, ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    public async Task<string> CreateRoomAsync(CancellationToken ct)
    {
        var response = await http.PostAsJsonAsync("/_matrix/client/v3/createRoom", new JsonObject { ["preset"] = "private_chat" }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["room_id"]!.GetValue<string>();
    }

    public async Task SendTextAsync(string roomId, string body, CancellationToken ct)
    {
        var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Guid.NewGuid():N}";
        var response = await http.PutAsJsonAsync(path, new JsonObject { ["msgtype"] = "m.text", ["body"] = body }, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The bodies of the text messages of a room in an initial /sync.</summary>
    public async Task<IReadOnlyList<string>> SyncedBodiesAsync(string roomId, CancellationToken ct)
    {
        var sync = (await http.GetFromJsonAsync<JsonObject>("/_matrix/client/v3/sync?timeout=0", ct))!;
        var events = sync["rooms"]?["join"]?[roomId]?["timeline"]?["events"]?.AsArray() ?? [];
        return events
            .Where(e => e?["type"]?.GetValue<string>() == "m.room.message")
            .Select(e => e!["content"]!["body"]!.GetValue<string>())
            .ToList();
    }

    public async Task<(string ServerName, string MediaId)> UploadAsync(byte[] content, CancellationToken ct)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new("application/octet-stream");
        var response = await http.PostAsync("/_matrix/media/v3/upload?filename=probe.bin", body, ct);
        response.EnsureSuccessStatusCode();
        var uri = new Uri((await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["content_uri"]!.GetValue<string>());
        return (uri.Host, uri.AbsolutePath.Trim('/'));
    }

    public Task<byte[]> DownloadAsync(string serverName, string mediaId, CancellationToken ct) =>
        http.GetByteArrayAsync($"/_matrix/client/v1/media/download/{serverName}/{mediaId}", ct);
}
