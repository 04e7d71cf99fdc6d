using Aspire.Hosting.Kubernetes.Resources;
using YamlDotNet.Serialization;

namespace Matrix.AppHost.Kubernetes.Manifests;

/// <summary><c>batch/v1 CronJob</c>, which Aspire 13.5's Kubernetes resource types lack.</summary>
public sealed class CronJobV1() : Workload("batch/v1", "CronJob")
{
    [YamlMember(Alias = "spec")]
    public CronJobSpecV1 Spec { get; set; } = new();

    [YamlIgnore]
    public override PodTemplateSpecV1 PodTemplate => Spec.JobTemplate.Spec.Template;
}

public sealed class CronJobSpecV1
{
    [YamlMember(Alias = "schedule")]
    public string Schedule { get; set; } = "";

    /// <summary><c>Forbid</c>: a run still going when the next is due is left alone (the janitor also holds a lock).</summary>
    [YamlMember(Alias = "concurrencyPolicy")]
    public string? ConcurrencyPolicy { get; set; }

    [YamlMember(Alias = "successfulJobsHistoryLimit")]
    public int? SuccessfulJobsHistoryLimit { get; set; } = 3;

    [YamlMember(Alias = "failedJobsHistoryLimit")]
    public int? FailedJobsHistoryLimit { get; set; } = 3;

    [YamlMember(Alias = "jobTemplate")]
    public JobTemplateSpecV1 JobTemplate { get; set; } = new();
}

public sealed class JobTemplateSpecV1
{
    [YamlMember(Alias = "spec")]
    public JobSpecV1 Spec { get; set; } = new();
}

public sealed class JobSpecV1
{
    [YamlMember(Alias = "backoffLimit")]
    public int? BackoffLimit { get; set; } = 3;

    [YamlMember(Alias = "template")]
    public PodTemplateSpecV1 Template { get; set; } = new();
}

/// <summary><c>batch/v1 Job</c>: a pod that runs to completion once.</summary>
public sealed class JobV1() : Workload("batch/v1", "Job")
{
    [YamlMember(Alias = "spec")]
    public JobSpecV1 Spec { get; set; } = new();

    [YamlIgnore]
    public override PodTemplateSpecV1 PodTemplate => Spec.Template;
}
