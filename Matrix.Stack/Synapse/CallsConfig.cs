using System.Globalization;
using Matrix.Stack.Coturn;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Voice and video: the TURN servers Synapse hands to clients (with time-limited credentials derived from the
/// shared secret, read from <c>turn_shared_secret_path</c>), and the MatrixRTC LiveKit focus.
/// </summary>
public static class CallsConfig
{
    /// <summary>How long a MatrixRTC client may schedule its delayed "left the call" event (MSC4140 delayed events).</summary>
    public const string MaxEventDelayDuration = "24h";

    public static void AddTo(YamlMapping config, StackOptions options)
    {
        if (options.Coturn.Enabled)
        {
            var authority = $"{CoturnEndpoints.PublicHost(options)}:{options.Coturn.Port.ToString(CultureInfo.InvariantCulture)}";
            config.Add("turn_uris", new List<object?>
            {
                $"turn:{authority}?transport=udp",
                $"turn:{authority}?transport=tcp",
            });
            config.Add("turn_user_lifetime", options.Coturn.UserLifetime);
        }
        if (options.LiveKit.Enabled)
        {
            config.Add("matrix_rtc", new YamlMapping
            {
                {
                    "transports", new List<object?>
                    {
                        new YamlMapping
                        {
                            { "type", "livekit" },
                            { "livekit_service_url", LiveKitEndpoints.JwtServicePublicUrl(options) },
                        },
                    }
                },
            });
            // Element Call schedules its own call-leave event so a crashed client drops out of the call.
            config.Add("max_event_delay_duration", MaxEventDelayDuration);
        }
    }
}
