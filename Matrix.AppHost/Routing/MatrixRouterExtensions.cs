using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Synapse;
using Matrix.AppHost.Wiring;

namespace Matrix.AppHost.Routing;

public static class MatrixRouterExtensions
{
    public const string ResourceName = Matrix.Stack.Wiring.ComponentNames.Router;
    public const string HttpEndpoint = "http";

    /// <summary>The .NET SDK's container images (PublishContainer, on the aspnet/runtime base images) run as <c>app</c>, 1654 (APP_UID).</summary>
    public static readonly KubernetesRunAsAnnotation DotnetContainerUser = new(1654, 1654);

    /// <summary>
    /// Matrix.Router, the stack's public HTTP entry, with the environment the wiring model states for it: every Synapse
    /// process that serves requests as a pool entry, MAS when on, its limits and trust lists (the route table is
    /// Matrix.Stack's catalog). It starts once Synapse's main process is healthy. In a local run its endpoint is on a
    /// fixed host port (<see cref="RouterHostPort"/>); a published deployment has its own service port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMatrixRouter(this IDistributedApplicationBuilder builder, MatrixStack stack, SynapseProcesses synapse)
    {
#pragma warning disable ASPIRECERTIFICATES001 // Experimental: WithoutHttpsCertificate, the opt-out of Aspire's run-mode TLS.
#pragma warning disable CS0618 // Aspire 17 obsoletes AddProject<T> for Aspire.Hosting.Dotnet's AddDotnetProject; docs/apphost.md "Aspire 17".
        var router = builder.AddProject<Projects.Matrix_Router>(ResourceName, launchProfileName: null)
#pragma warning restore CS0618
            .WithHttpEndpoint(port: builder.ExecutionContext.IsRunMode ? RouterHostPort.Read(builder.Configuration) : null, name: HttpEndpoint)
            // Plain HTTP only (TLS ends before the router): no development certificate offered, so the dashboard shows
            // no banner about one (docs/apphost.md "Run").
            .WithoutHttpsCertificate()
            .WithExternalHttpEndpoints()
            .WithKubernetesSizing(stack.Sizing.Router)
            .WithKubernetesUser(DotnetContainerUser)
            .WithWiring(stack)
            .PublishAsKubernetes(objects => RouterIngress.AddTo(objects, stack.Options))
            .WaitFor(synapse.Main);
#pragma warning restore ASPIRECERTIFICATES001
        // The dashboard's "Create user" on Synapse's main process reaches Synapse the way clients do, through this endpoint.
        synapse.Main.WithCreateUserCommand(router, HttpEndpoint, stack.Secrets[Matrix.Stack.Secrets.SecretName.RegistrationSharedSecret]);

        return router.WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 5, endpointName: HttpEndpoint)
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 15, failureThreshold: 3, endpointName: HttpEndpoint);
    }
}
