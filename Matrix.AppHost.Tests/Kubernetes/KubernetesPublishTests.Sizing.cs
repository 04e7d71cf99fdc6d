using System.Globalization;
using System.Text;
using k8s.Models;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// What each preset's output asks of a cluster, summed from the published objects: the long-running pods
/// (Deployments and StatefulSets, times their replicas) and the pods that run to completion (Jobs, and each CronJob's
/// pod) apart. The monolith must fit one node of 2 CPU and 4 GiB; docs/kubernetes.md's table must be these sums.
/// </summary>
public sealed partial class KubernetesPublishTests
{
    /// <summary>What a 2 CPU / 4 GiB node typically leaves to pods once the kubelet, the runtime and the system reserve theirs.</summary>
    private const decimal SmallNodeAllocatableCpu = 1.9m;

    private const decimal SmallNodeAllocatableMemory = 3.4m * Gibibyte;

    private const decimal Gibibyte = 1024m * 1024m * 1024m;

    private const string SizingTableBegin = "<!-- sizing-table: begin (KubernetesPublishTests computes it from the output) -->";
    private const string SizingTableEnd = "<!-- sizing-table: end -->";

    private sealed record Requests(int Pods, decimal Cpu, decimal Memory, decimal MemoryLimit)
    {
        public static readonly Requests None = new(0, 0, 0, 0);

        public Requests Plus(Requests other) => new(Pods + other.Pods, Cpu + other.Cpu, Memory + other.Memory, MemoryLimit + other.MemoryLimit);
    }

    [Fact]
    public async Task TheMonolithFitsOneNodeOf2CpuAnd4GiB()
    {
        var output = await PublishAsync(StackPresets.Monolith);

        var (running, runOnce) = Totals(output);
        // Everything at once, the Jobs and the CronJob's pod included (the bucket Job runs at the first start).
        var all = running.Plus(runOnce);
        Assert.True(all.Cpu <= SmallNodeAllocatableCpu, $"the monolith requests {all.Cpu} CPU; one small node allocates {SmallNodeAllocatableCpu}");
        Assert.True(all.Memory <= SmallNodeAllocatableMemory, $"the monolith requests {all.Memory / Gibibyte:0.##} GiB; one small node allocates 3.4 GiB");
    }

    [Fact]
    public async Task TheSizingTableInTheDocsIsWhatEachPresetRequests()
    {
        var table = new StringBuilder();
        table.Append("| Preset | Long-running pods | CPU requests | Memory requests | Memory limits | Run-to-completion pods | their CPU requests | their memory requests |\n");
        table.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var preset in StackPresets.Names)
        {
            var (running, runOnce) = Totals(await PublishAsync(preset));
            table.Append(CultureInfo.InvariantCulture,
                $"| `{preset}` | {running.Pods} | {running.Cpu:0.###} | {running.Memory / Gibibyte:0.00} GiB | {running.MemoryLimit / Gibibyte:0.00} GiB | {runOnce.Pods} | {runOnce.Cpu:0.###} | {runOnce.Memory / Gibibyte:0.00} GiB |\n");
        }
        var expected = table.ToString();

        var docs = (await File.ReadAllTextAsync(Path.Combine(AppHostPaths.Root, "docs", "kubernetes.md"), TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        var begin = docs.IndexOf(SizingTableBegin, StringComparison.Ordinal);
        var end = docs.IndexOf(SizingTableEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/kubernetes.md has no sizing table between the markers; it should read:\n{SizingTableBegin}\n{expected}{SizingTableEnd}");
        var documented = docs[(begin + SizingTableBegin.Length)..end].Trim('\n') + "\n";
        Assert.True(documented == expected, $"docs/kubernetes.md's sizing table is not the output's; it should read:\n{expected}");
    }

    private static (Requests Running, Requests RunOnce) Totals(KubernetesOutput output)
    {
        var running = Requests.None;
        var runOnce = Requests.None;
        foreach (var item in output.Objects)
        {
            switch (item)
            {
                case V1Deployment deployment:
                    running = running.Plus(Of(deployment.Metadata.Name, deployment.Spec.Template, deployment.Spec.Replicas ?? 1));
                    break;
                case V1StatefulSet statefulSet:
                    running = running.Plus(Of(statefulSet.Metadata.Name, statefulSet.Spec.Template, statefulSet.Spec.Replicas ?? 1));
                    break;
                case V1Job job:
                    runOnce = runOnce.Plus(Of(job.Metadata.Name, job.Spec.Template, 1));
                    break;
                case V1CronJob cronJob:
                    runOnce = runOnce.Plus(Of(cronJob.Metadata.Name, cronJob.Spec.JobTemplate.Spec.Template, 1));
                    break;
            }
        }
        return (running, runOnce);
    }

    // A container without requests would not count against the node and escape the sum: every one must have them.
    private static Requests Of(string workload, V1PodTemplateSpec template, int replicas)
    {
        var total = Requests.None;
        foreach (var container in template.Spec.Containers.Concat(template.Spec.InitContainers ?? []))
        {
            var requests = container.Resources?.Requests;
            var limits = container.Resources?.Limits;
            Assert.True(requests is not null && requests.ContainsKey("cpu") && requests.ContainsKey("memory") && limits is not null && limits.ContainsKey("memory"),
                $"{workload}/{container.Name} has no CPU and memory requests and memory limit");
            total = total.Plus(new Requests(0, requests!["cpu"].ToDecimal(), requests["memory"].ToDecimal(), limits!["memory"].ToDecimal()));
        }
        return new Requests(replicas, total.Cpu * replicas, total.Memory * replicas, total.MemoryLimit * replicas);
    }
}
