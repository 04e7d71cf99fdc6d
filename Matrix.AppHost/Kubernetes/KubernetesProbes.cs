using k8s.Models;

namespace Matrix.AppHost.Kubernetes;


/// <summary>
/// Probes from the model's HTTP probes (<c>WithHttpProbe</c>). A resource with a readiness probe only (Synapse: one
/// health path per process) also gets a startup probe on the same path that allows ten minutes (main runs the database
/// migrations before it listens) and a liveness probe that restarts a process hung for ninety seconds.
/// </summary>
public static class KubernetesProbes
{
    public const int StartupPeriodSeconds = 10;
    public const int StartupFailureThreshold = 60;
    public const int DerivedLivenessPeriodSeconds = 30;

    public static (V1Probe? Startup, V1Probe? Readiness, V1Probe? Liveness) Of(IResource resource)
    {
        var probes = resource.Annotations.OfType<EndpointProbeAnnotation>().ToList();
        var startup = Single(probes, ProbeType.Startup);
        var readiness = Single(probes, ProbeType.Readiness);
        var liveness = Single(probes, ProbeType.Liveness);
        if (readiness is not null && startup is null && liveness is null)
        {
            return (
                Http(readiness, periodSeconds: StartupPeriodSeconds, timeoutSeconds: readiness.TimeoutSeconds, failureThreshold: StartupFailureThreshold),
                Http(readiness),
                Http(readiness, periodSeconds: DerivedLivenessPeriodSeconds, timeoutSeconds: Math.Max(readiness.TimeoutSeconds, 5), failureThreshold: 3));
        }
        return (startup is null ? null : Http(startup), readiness is null ? null : Http(readiness), liveness is null ? null : Http(liveness));
    }

    private static EndpointProbeAnnotation? Single(List<EndpointProbeAnnotation> probes, ProbeType type) =>
        probes.Where(p => p.Type == type).ToList() switch
        {
            [] => null,
            [var probe] => probe,
            var several => throw new InvalidOperationException($"{several[0].EndpointReference.Resource.Name} has {several.Count} {type} probes; Kubernetes takes one"),
        };

    private static V1Probe Http(EndpointProbeAnnotation probe, int? periodSeconds = null, int? timeoutSeconds = null, int? failureThreshold = null) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = probe.Path, Port = KubernetesPorts.Name(probe.EndpointReference.EndpointAnnotation) },
        InitialDelaySeconds = probe.InitialDelaySeconds,
        PeriodSeconds = periodSeconds ?? probe.PeriodSeconds,
        TimeoutSeconds = timeoutSeconds ?? probe.TimeoutSeconds,
        FailureThreshold = failureThreshold ?? probe.FailureThreshold,
        // Kubernetes requires 1 for startup and liveness probes.
        SuccessThreshold = probe.Type == ProbeType.Readiness && periodSeconds is null ? probe.SuccessThreshold : 1,
    };
}
