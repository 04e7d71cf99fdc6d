namespace Matrix.AppHost.Kubernetes;

/// <summary>How a resource runs when published: a long-running Deployment (no annotation), a Job that runs once, or a CronJob.</summary>
public sealed record WorkloadKindAnnotation(WorkloadKind Kind, string? Schedule = null, IReadOnlyList<string>? ExtraArguments = null) : IResourceAnnotation;

public enum WorkloadKind
{
    /// <summary>Runs to completion once (the bucket creation).</summary>
    Job,

    /// <summary>Runs to completion on <see cref="WorkloadKindAnnotation.Schedule"/> with the extra arguments (the media janitor's <c>--once</c>).</summary>
    CronJob,
}
