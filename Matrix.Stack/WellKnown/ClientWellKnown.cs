using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Model;

namespace Matrix.Stack.WellKnown;

/// <summary>
/// The <c>/.well-known/matrix/client</c> object: where the homeserver is and, when LiveKit is on, the MatrixRTC focus
/// (MSC4143 <c>rtc_foci</c>, type <c>livekit</c>, pointing at lk-jwt-service). Element Web's <c>default_server_config</c>
/// is the same object, so both are built here.
/// </summary>
public static class ClientWellKnown
{
    public const string RtcFociKey = "org.matrix.msc4143.rtc_foci";

    /// <summary>MSC2965's discovery of the OIDC provider (MAS), which Synapse 1.160 still serves beside <c>/auth_metadata</c>.</summary>
    public const string AuthenticationKey = "org.matrix.msc2965.authentication";

    internal static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        // These files are served as JSON, never inlined into HTML: keep URLs and non-ASCII brands readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="includeServerName">Element Web also accepts <c>server_name</c> in <c>m.homeserver</c>, for display.</param>
    public static JsonObject Build(StackOptions options, bool includeServerName = false)
    {
        var homeserver = new JsonObject { ["base_url"] = HomeserverBaseUrl(options) };
        if (includeServerName)
        {
            homeserver["server_name"] = options.ServerName;
        }
        var document = new JsonObject { ["m.homeserver"] = homeserver };
        if (options.Mas.Enabled)
        {
            document[AuthenticationKey] = new JsonObject
            {
                ["issuer"] = Mas.MasEndpoints.PublicBase(options.Mas),
                ["account"] = Mas.MasEndpoints.Account(options.Mas),
            };
        }
        if (options.LiveKit.Enabled)
        {
            document[RtcFociKey] = new JsonArray(new JsonObject
            {
                ["type"] = "livekit",
                ["livekit_service_url"] = LiveKitEndpoints.JwtServicePublicUrl(options),
            });
        }
        return document;
    }

    /// <summary>The client base URL as the spec writes it: no trailing slash (clients append <c>/_matrix/...</c>).</summary>
    public static string HomeserverBaseUrl(StackOptions options) => LiveKitEndpoints.WithoutTrailingSlash(options.EffectivePublicBaseUrl);

    internal static string ToFileText(JsonNode node) => node.ToJsonString(JsonOutput) + "\n";
}
