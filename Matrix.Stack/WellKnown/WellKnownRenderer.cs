using System.Text.Json.Nodes;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.WellKnown;

/// <summary>
/// The two discovery documents served from the server name's host: <c>/.well-known/matrix/server</c> (federation
/// delegation) and <c>/.well-known/matrix/client</c> (client discovery, with the MatrixRTC focus when LiveKit is on).
/// Serve both as <c>application/json</c>; the client one also needs <c>Access-Control-Allow-Origin: *</c>.
/// </summary>
public sealed class WellKnownRenderer : IComponentRenderer
{
    public const string ServerPath = "well-known/matrix/server";
    public const string ClientPath = "well-known/matrix/client";

    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets)
    {
        var options = deployment.Options;
        var server = new JsonObject { ["m.server"] = options.EffectiveFederationAuthority };
        return
        [
            new RenderedFile(ServerPath, ClientWellKnown.ToFileText(server)),
            new RenderedFile(ClientPath, ClientWellKnown.ToFileText(ClientWellKnown.Build(options))),
        ];
    }
}
