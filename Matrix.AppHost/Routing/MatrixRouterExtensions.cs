using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Synapse;

namespace Matrix.AppHost.Routing;

public static class MatrixRouterExtensions
{
    public const string ResourceName = "router";
    public const string HttpEndpoint = "http";

    /// <summary>
    /// Matrix.Router in front of every Synapse process. It derives the layout and the route table from the same
    /// selection (<c>Matrix__Preset</c>, <c>Matrix__Settings__*</c>) and finds each process at
    /// <c>services__&lt;process&gt;__http__0</c> (Aspire's service reference variables): the URL reachable from where the
    /// router runs, a host port in run mode and the Kubernetes Service when published. Starts once main is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMatrixRouter(
        this IDistributedApplicationBuilder builder, StackSelection selection, SynapseProcesses synapse)
    {
        var router = builder.AddProject<Projects.Matrix_Router>(ResourceName)
            .WithHttpEndpoint(name: HttpEndpoint)
            .WithExternalHttpEndpoints()
            .WaitFor(synapse.Main)
            .WithKubernetesSizing(ComponentSizing.Router);

        foreach (var (name, value) in selection.EnvironmentVariables())
        {
            router.WithEnvironment(name, value);
        }
        foreach (var (_, process) in synapse.All)
        {
            router.WithReference(process.GetEndpoint(SynapseProcesses.HttpEndpoint));
        }

#pragma warning disable ASPIREPROBES001 // Experimental API: each probe is also the dashboard's health check for its path.
        router.WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 5, endpointName: HttpEndpoint)
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 15, failureThreshold: 3, endpointName: HttpEndpoint);
#pragma warning restore ASPIREPROBES001
        return router;
    }
}
