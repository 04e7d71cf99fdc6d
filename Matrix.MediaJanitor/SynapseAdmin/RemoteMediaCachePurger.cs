using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Matrix.MediaJanitor.Configuration;

namespace Matrix.MediaJanitor.SynapseAdmin;

/// <summary>
/// Synapse's Purge Remote Media API: <c>POST /_synapse/admin/v1/purge_media_cache?before_ts=&lt;ms&gt;</c> with body
/// <c>{}</c>, answering <c>{"deleted": n}</c>. The access token goes in the Authorization header only. A typed
/// client: <paramref name="http"/> comes from <c>AddHttpClient</c> with a resilience handler, which retries transient
/// failures (the purge is idempotent) and bounds each attempt.
/// </summary>
public sealed class RemoteMediaCachePurger(HttpClient http, JanitorOptions janitorOptions)
{
    private readonly SynapseAdminOptions _admin = janitorOptions.SynapseAdmin;

    public const string Path = "/_synapse/admin/v1/purge_media_cache";

    public async Task<long> PurgeAsync(long beforeTsMs, CancellationToken ct)
    {
        var uri = new Uri(new Uri(_admin.BaseUrl!.TrimEnd('/') + "/"), Path.TrimStart('/') + "?before_ts=" + beforeTsMs.ToString(CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException)
        {
            throw new SynapseAdminException($"Synapse admin API at {uri.GetLeftPart(UriPartial.Authority)} is unreachable: {ex.Message}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                // Synapse's error bodies are {"errcode", "error"}: safe to show, they never echo the token.
                throw new SynapseAdminException($"purge_media_cache answered {(int)response.StatusCode}: {Truncate(body)}");
            }
            try
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.GetProperty("deleted").GetInt64();
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new SynapseAdminException($"purge_media_cache answered an unexpected body: {Truncate(body)}");
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
