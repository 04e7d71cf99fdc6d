using System.Text.Json.Nodes;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.WellKnown;

namespace Matrix.Stack.ElementWeb;

/// <summary>
/// Element Web's <c>config.json</c> (keys from element-web's docs/config.md): this homeserver as the only server,
/// no third-party integration manager, and Element Call (MatrixRTC over LiveKit) as the call stack when LiveKit is on.
/// </summary>
public sealed class ElementWebConfigRenderer : IComponentRenderer
{
    public const string ConfigPath = "element-web/config.json";

    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) =>
        deployment.Options.ElementWeb.Enabled ? [new RenderedFile(ConfigPath, ClientWellKnown.ToFileText(Build(deployment.Options)))] : [];

    private static JsonObject Build(StackOptions options)
    {
        var rtc = options.LiveKit.Enabled;
        var config = new JsonObject
        {
            // The same object as /.well-known/matrix/client, plus server_name for display.
            ["default_server_config"] = ClientWellKnown.Build(options, includeServerName: true),
            ["brand"] = options.ElementWeb.Brand,
            // This Element is served for this homeserver: no server picker on the login page.
            ["disable_custom_urls"] = true,
            // Synapse's guest access stays off, and registration is closed by default.
            ["disable_guests"] = true,
            // No identity server or e-mail is configured, so login by e-mail or phone cannot work.
            ["disable_3pid_login"] = true,
            ["room_directory"] = new JsonObject { ["servers"] = new JsonArray(options.ServerName) },
            // No integration manager: the default one is a third-party service (scalar.vector.im).
            ["integrations_ui_url"] = null,
            ["integrations_rest_url"] = null,
            ["integrations_widgets_urls"] = null,
            // Group calls through Element Call need the LiveKit focus; without it the button would only fail.
            ["features"] = new JsonObject { ["feature_group_calls"] = rtc },
        };
        if (rtc)
        {
            // Element X only speaks MatrixRTC, so Element Web should not start legacy 1:1 or Jitsi calls it cannot join.
            config["element_call"] = new JsonObject { ["use_exclusively"] = true };
        }
        return config;
    }
}
