using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Synapse's shared-secret registration (<c>/_synapse/admin/v1/register</c>), what <c>register_new_matrix_user</c>
/// does: fetch a one-time nonce, then post the user with an HMAC-SHA1 over nonce, user, password and admin flag, keyed
/// with <c>registration_shared_secret</c>. Every failure becomes a <see cref="RegistrationFailedException"/> naming the
/// cause: the server not reached, the router's admin allow-list, the secret, the user name. Shared by
/// <c>matrix-stack create-user</c> and the AppHost's dashboard command; neither the secret nor the password is ever in a
/// message.
/// </summary>
/// <param name="http">Its base address is the router's URL (or Synapse's).</param>
/// <param name="urlOrigin">Where that URL came from, for messages: <c>--url</c>, or the router's endpoint.</param>
public sealed class SharedSecretRegistration(HttpClient http, string urlOrigin)
{
    public const string Path = "/_synapse/admin/v1/register";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Registers <paramref name="user"/> (a localpart) and returns its full Matrix ID.</summary>
    /// <param name="secret">Synapse's <c>registration_shared_secret</c>.</param>
    /// <param name="secretSource">Where it was read, for messages (never the value).</param>
    public async Task<string> RegisterAsync(string secret, string secretSource, string user, string password, bool admin, CancellationToken ct)
    {
        var nonce = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Path), Step.Nonce, secretSource, user, ct);
        var nonceValue = nonce["nonce"]?.GetValue<string>()
            ?? throw new RegistrationFailedException($"{Where} answered without a nonce: it is not Synapse's registration endpoint");
        var mac = Mac(secret, nonceValue, user, password, admin);
        var body = new JsonObject { ["nonce"] = nonceValue, ["username"] = user, ["password"] = password, ["admin"] = admin, ["mac"] = mac };
        var registered = await SendAsync(new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) }, Step.Register, secretSource, user, ct);
        return registered["user_id"]?.GetValue<string>() ?? $"@{user}";
    }

    /// <summary>A password for a new user, shown once to whoever asked for it: 24 characters without look-alikes (0/O, 1/l/I).</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);

    /// <summary>Why <paramref name="user"/> is not a localpart ('alice', not '@alice:server'), or null when it is one.</summary>
    public static string? LocalpartProblem(string user) =>
        user.Length == 0 || user.StartsWith('@') || user.Contains(':', StringComparison.Ordinal)
            ? $"'{user}' must be a localpart such as 'alice', not a full Matrix ID"
            : null;

    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int GeneratedPasswordLength = 24;

    /// <summary>Synapse's MAC: HMAC-SHA1, hex, over <c>nonce\0user\0password\0admin|notadmin</c>.</summary>
    public static string Mac(string sharedSecret, string nonce, string user, string password, bool admin) =>
        Convert.ToHexStringLower(HMACSHA1.HashData(
            Encoding.UTF8.GetBytes(sharedSecret),
            Encoding.UTF8.GetBytes($"{nonce}\0{user}\0{password}\0{(admin ? "admin" : "notadmin")}")));

    private enum Step { Nonce, Register }

    private string Where => http.BaseAddress is { } url ? url.GetLeftPart(UriPartial.Authority) : "the server";

    private async Task<JsonObject> SendAsync(HttpRequestMessage request, Step step, string secretSource, string user, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await http.SendAsync(request, ct);
            }
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : e.HttpRequestError.ToString();
            throw new RegistrationFailedException(
                $"cannot reach {Where} ({reason}): is the stack running, and is --url the router's URL (the dashboard shows it on the 'router' resource)?");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RegistrationFailedException($"{Where} did not answer within {Timeout.TotalSeconds:F0} s");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var answer = Parse(text);
            if (response.IsSuccessStatusCode && answer is not null)
            {
                return answer;
            }
            var errcode = answer?["errcode"]?.GetValue<string>();
            var said = answer?["error"]?.GetValue<string>() ?? Shorten(text);
            var status = $"{(int)response.StatusCode} {errcode}".TrimEnd();
            throw new RegistrationFailedException((step, response.StatusCode, errcode) switch
            {
                // Synapse never refuses the nonce: a 403 there is the router's admin allow-list.
                (Step.Nonce, HttpStatusCode.Forbidden, _) =>
                    $"{Where} refused the admin API from this address ({status}: {said}). /_synapse/admin is open only to " +
                    "Router:AdminAllowList (loopback by default): run this on the router's machine, or add this network to the list",
                (Step.Nonce, HttpStatusCode.NotFound, _) =>
                    $"{Where} has no {Path} ({status}): {urlOrigin} must be the router's (or Synapse's) URL",
                (_, _, "M_USER_IN_USE") => $"user '{user}' exists already ({status}: {said})",
                (Step.Register, HttpStatusCode.Forbidden, _) =>
                    $"Synapse rejected the registration shared secret from {secretSource} (value hidden) ({status}: {said}): it is not the secret this Synapse was started with",
                _ => $"{Where} answered {status} to {request.Method} {Path}: {said}",
            });
        }
    }

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
