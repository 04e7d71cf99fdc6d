using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Synapse;

namespace Matrix.AppHost.Routing;

public static class MatrixRouterExtensions
{
    public const string ResourceName = "router";
    public const string HttpEndpoint = "http";

    /// <summary>Networks (CIDR, comma-separated, or <c>none</c>) that may use the admin API through the router.</summary>
    public const string AdminAllowListKey = "Matrix:Router:AdminAllowList";

    /// <summary>Proxies (an ingress) whose forwarding headers the router believes.</summary>
    public const string TrustedProxiesKey = "Matrix:Router:TrustedProxies";

    /// <summary>
    /// Matrix.Router, the stack's public HTTP entry. Its pools are the Synapse processes <see cref="WithSynapseProcesses"/>
    /// gives it (the route table is Matrix.Stack's catalog; a pool the layout lacks falls back as the catalog says).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMatrixRouter(this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
#pragma warning disable CS0618 // Aspire 17 obsoletes AddProject<T> for Aspire.Hosting.Dotnet's AddDotnetProject; docs/apphost.md "Aspire 17".
        var router = builder.AddProject<Projects.Matrix_Router>(ResourceName, launchProfileName: null)
#pragma warning restore CS0618
            .WithHttpEndpoint(name: HttpEndpoint)
            .WithExternalHttpEndpoints()
            .WithKubernetesSizing(ComponentSizing.Router);
        // Stated, never left to the router's defaults: who may reach /_synapse/admin and /_router/status, and whose
        // X-Forwarded-For is believed. Under the dashboard clients come through the orchestrator's loopback proxy.
        var configuration = builder.Configuration;
        router.WithEnvironment("Router__AdminAllowList", configuration[AdminAllowListKey] is { Length: > 0 } admins ? admins : "127.0.0.0/8,::1")
            .WithEnvironment("Router__TrustedProxies", configuration[TrustedProxiesKey] is { Length: > 0 } proxies ? proxies : "none");

        return router.WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 5, endpointName: HttpEndpoint)
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 15, failureThreshold: 3, endpointName: HttpEndpoint);
    }

    /// <summary>
    /// MAS as the router's <c>mas</c> target (Aspire's <c>mas</c> service), and, when MAS shares the homeserver's host,
    /// the path under which every request is MAS's (<c>Router:MasPathPrefix</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMas(
        this IResourceBuilder<ProjectResource> router, IResourceBuilder<ContainerResource> mas, Matrix.Stack.Model.StackOptions options)
    {
        router.WithReference(mas.GetEndpoint(Authentication.MasExtensions.HttpEndpoint));
        return Matrix.Stack.Mas.MasEndpoints.SharedHostPathPrefix(options) is { } masPath
            ? router.WithEnvironment("Router__MasPathPrefix", masPath)
            : router;
    }

    /// <summary>
    /// Each Synapse process as <c>services__&lt;process&gt;__http__0</c> (Aspire's service reference variables): the URL
    /// reachable from where the router runs, a host port in run mode and the Service when published. Starts once main is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSynapseProcesses(this IResourceBuilder<ProjectResource> router, SynapseProcesses synapse)
    {
        foreach (var process in synapse.All)
        {
            router.WithReference(process.GetEndpoint(SynapseProcesses.HttpEndpoint));
        }
        return router.WaitFor(synapse.Main);
    }
}
