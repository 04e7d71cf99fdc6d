using k8s.Models;
using static Matrix.AppHost.Tests.Kubernetes.PodSecurityStandard;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>The Pod Security Standards on every preset's output, and the checker itself on pods made to break each control.</summary>
public sealed partial class KubernetesPublishTests
{
    /// <summary>The documented exception (docs/kubernetes.md, "Pod security"): TURN and WebRTC media need the node's network.</summary>
    private static readonly string[] HostNetworkWorkloads = ["coturn", "livekit"];

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EveryWorkloadMeetsTheRestrictedStandardExceptTheHostNetworkOnesWhichMeetBaselineBeyondTheirHostNetwork(string preset)
    {
        var output = await PublishAsync(preset);

        Assert.NotEmpty(output.Workloads);
        foreach (var workload in output.Workloads)
        {
            var violations = Check(workload.Template, Level.Restricted);
            if (HostNetworkWorkloads.Contains(workload.Name))
            {
                // Host Namespaces is a baseline control: nothing else of baseline or restricted may be broken.
                Assert.True(violations.All(v => v.Control == "Host Namespaces") && violations.Count == 1,
                    $"{workload.Kind} {workload.Name}: expected only its host network, got {Describe(violations)}");
            }
            else
            {
                Assert.True(violations.Count == 0, $"{workload.Kind} {workload.Name} is not restricted: {Describe(violations)}");
            }
        }
    }

    public static TheoryData<string> ControlNames => new(Controls.Select(control => control.Name));

    [Theory]
    [MemberData(nameof(ControlNames))]
    public void ThePodSecurityCheckerFlagsAPodBreakingOnlyThatControl(string control)
    {
        var compliant = RestrictedPod();
        Assert.Empty(Check(compliant, Level.Restricted));

        var broken = RestrictedPod();
        Breakers[control](broken);

        // At the control's own level only that control is broken (a baseline break may also break the restricted
        // control of the same name, which tightens it); a restricted control's break leaves baseline whole.
        var level = Controls.Single(c => c.Name == control).Level;
        var violations = Check(broken, level);
        Assert.True(violations.Count > 0 && violations.All(v => v.Control == control), $"breaking {control} gave {Describe(violations)}");
        if (level == Level.Restricted)
        {
            Assert.Empty(Check(broken, Level.Baseline));
        }
    }

    [Fact]
    public void EveryControlHasABreakingPod() => Assert.Equal(Controls.Select(c => c.Name).Order(), Breakers.Keys.Order());

    /// <summary>One change per control that breaks it and nothing else.</summary>
    private static readonly Dictionary<string, Action<V1PodTemplateSpec>> Breakers = new(StringComparer.Ordinal)
    {
        ["HostProcess"] = pod => Container(pod).SecurityContext.WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true },
        ["Host Namespaces"] = pod => pod.Spec.HostPID = true,
        ["Privileged Containers"] = pod => Container(pod).SecurityContext.Privileged = true,
        ["Capabilities"] = pod => Container(pod).SecurityContext.Capabilities.Add = ["SYS_ADMIN"],
        ["HostPath Volumes"] = pod => pod.Spec.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }),
        ["Host Ports"] = pod => Container(pod).Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = 8080 }],
        ["AppArmor"] = pod => pod.Spec.SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" },
        ["SELinux"] = pod => Container(pod).SecurityContext.SeLinuxOptions = new V1SELinuxOptions { Type = "spc_t" },
        ["/proc Mount Type"] = pod => Container(pod).SecurityContext.ProcMount = "Unmasked",
        ["Seccomp"] = pod => Container(pod).SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" },
        ["Sysctls"] = pod => pod.Spec.SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "65536" }],
        ["Volume Types"] = pod => pod.Spec.Volumes.Add(new V1Volume { Name = "nfs", Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "/" } }),
        ["Privilege Escalation"] = pod => Container(pod).SecurityContext.AllowPrivilegeEscalation = null,
        ["Running as Non-root"] = pod => pod.Spec.SecurityContext.RunAsNonRoot = null,
        ["Running as Non-root user"] = pod => Container(pod).SecurityContext.RunAsUser = 0,
        ["Seccomp (restricted)"] = pod => pod.Spec.SecurityContext.SeccompProfile = null,
        ["Capabilities (restricted)"] = pod => Container(pod).SecurityContext.Capabilities.Drop = ["NET_RAW"],
    };

    /// <summary>A pod as the restricted example of the standard's page writes it, with one volume of each kind the stack uses.</summary>
    private static V1PodTemplateSpec RestrictedPod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "probe" },
        Spec = new V1PodSpec
        {
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "app",
                    Ports = [new V1ContainerPort { ContainerPort = 8080 }],
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        Capabilities = new V1Capabilities { Drop = ["ALL"], Add = ["NET_BIND_SERVICE"] },
                    },
                },
            ],
            Volumes =
            [
                new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "c" } },
                new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "d" } },
                new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
            ],
        },
    };

    private static V1Container Container(V1PodTemplateSpec pod) => pod.Spec.Containers[0];

    private static string Describe(IEnumerable<Violation> violations) =>
        string.Join("; ", violations.Select(v => $"[{v.Control}] {v.Detail}")) is { Length: > 0 } text ? text : "none";
}
