using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Coturn;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Calls;

public static class CoturnExtensions
{
    /// <summary>The coturn image runs as <c>nobody</c>; its files must be readable by that user.</summary>
    private const int CoturnUser = 65534;

    /// <summary>
    /// coturn with Synapse's shared-secret authentication. The listener (UDP and TCP) and the relay range are not proxied:
    /// relays must be reached on the addresses coturn advertises. Run mode publishes the relay range with the container
    /// runtime's <c>-p</c>; Kubernetes uses the node's network (a Service cannot forward a port range).
    /// Matrix.Stack's launch script (<see cref="CoturnContainerCommand"/>) adds the shared secret, read from its own file,
    /// to a private copy of the secret-free config: the secret is in no config file and on no command line.
    /// </summary>
    public static IResourceBuilder<CoturnResource> AddCoturn(this IDistributedApplicationBuilder builder, string name, MatrixStack stack)
    {
        ComponentNaming.Require(name, "Matrix.Stack's name for coturn", ComponentNames.Coturn);
        var turn = stack.Options.Coturn;
        var coturn = builder.AddResource(new CoturnResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.Coturn)
            .WithLaunchScript(CoturnContainerCommand.For(stack.Options), stack, "coturn", CoturnConfigRenderer.ContainerConfigDirectory, CoturnUser)
            .WithEndpoint(port: turn.Port, targetPort: turn.Port, scheme: "turn", name: CoturnResource.TurnUdpEndpointName, isProxied: false, protocol: ProtocolType.Udp)
            // The manifest schema (aspire-8.0) allows only http, http2 and tcp as a binding's transport, and Aspire would
            // write "udp"; "protocol": "udp" is what says the binding is UDP, so the transport is given the schema's raw value.
            .WithEndpoint(CoturnResource.TurnUdpEndpointName, endpoint => endpoint.Transport = "tcp")
            .WithEndpoint(port: turn.Port, targetPort: turn.Port, scheme: "turn", name: CoturnResource.TurnTcpEndpointName, isProxied: false, protocol: ProtocolType.Tcp)
            .WithKubernetesHostNetwork()
            .WithKubernetesUser(new KubernetesRunAsAnnotation(CoturnUser, CoturnUser))
            .WithKubernetesSizing(stack.Sizing.Coturn);

        if (builder.ExecutionContext.IsRunMode)
        {
            coturn.WithContainerRuntimeArgs("-p", $"{turn.RelayPortMin}-{turn.RelayPortMax}:{turn.RelayPortMin}-{turn.RelayPortMax}/udp");
        }
        return coturn;
    }
}
