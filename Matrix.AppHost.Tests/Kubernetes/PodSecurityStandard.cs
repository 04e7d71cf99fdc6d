using k8s.Models;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// The Pod Security Standards as published (https://kubernetes.io/docs/concepts/security/pod-security-standards/, the
/// policy version of Kubernetes 1.34): one rule per control of the <c>baseline</c> and <c>restricted</c> tables, named
/// as the page names it (the two controls restricted tightens carry "(restricted)"), each returning what in a pod
/// template violates it. Every container counts: containers, init containers and ephemeral containers. What the page
/// exempts for Windows pods (spec.os.name: windows) is not modelled: no pod of the stack runs Windows.
/// </summary>
public static class PodSecurityStandard
{
    public enum Level
    {
        Baseline,
        Restricted,
    }

    public sealed record Control(string Name, Level Level, Func<V1PodTemplateSpec, IEnumerable<string>> Violations);

    public sealed record Violation(string Control, string Detail);

    /// <summary>A container's name and the parts of it the standard looks at.</summary>
    private sealed record ContainerView(string Name, V1SecurityContext? SecurityContext, IList<V1ContainerPort>? Ports);

    public static readonly IReadOnlyList<string> BaselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    public static readonly IReadOnlyList<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    public static readonly IReadOnlyList<string> SeLinuxTypes = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    /// <summary>The volume sources restricted allows, as KubernetesClient names the V1Volume properties.</summary>
    public static readonly IReadOnlyList<string> RestrictedVolumeSources =
        [nameof(V1Volume.ConfigMap), nameof(V1Volume.Csi), nameof(V1Volume.DownwardAPI), nameof(V1Volume.EmptyDir), nameof(V1Volume.Ephemeral),
         nameof(V1Volume.PersistentVolumeClaim), nameof(V1Volume.Projected), nameof(V1Volume.Secret)];

    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static readonly IReadOnlyList<Control> Controls =
    [
        new("HostProcess", Level.Baseline, pod =>
            Contexts(pod).Where(c => c.Context?.WindowsOptions?.HostProcess == true).Select(c => $"{c.Where}: windowsOptions.hostProcess")),
        new("Host Namespaces", Level.Baseline, pod =>
            new[] { ("hostNetwork", pod.Spec.HostNetwork), ("hostPID", pod.Spec.HostPID), ("hostIPC", pod.Spec.HostIPC) }
                .Where(field => field.Item2 == true).Select(field => field.Item1)),
        new("Privileged Containers", Level.Baseline, pod =>
            Containers(pod).Where(c => c.SecurityContext?.Privileged == true).Select(c => $"{c.Name}: privileged")),
        new("Capabilities", Level.Baseline, pod =>
            Containers(pod).SelectMany(c => (c.SecurityContext?.Capabilities?.Add ?? []).Where(cap => !BaselineCapabilities.Contains(cap)).Select(cap => $"{c.Name}: adds {cap}"))),
        new("HostPath Volumes", Level.Baseline, pod =>
            (pod.Spec.Volumes ?? []).Where(v => v.HostPath is not null).Select(v => $"volume {v.Name}: hostPath")),
        new("Host Ports", Level.Baseline, pod =>
            Containers(pod).SelectMany(c => (c.Ports ?? []).Where(p => p.HostPort is { } host && host != 0).Select(p => $"{c.Name}: hostPort {p.HostPort}"))),
        new("AppArmor", Level.Baseline, pod =>
            Contexts(pod).Where(c => c.Context?.AppArmorProfile?.Type is { } type && type is not ("RuntimeDefault" or "Localhost"))
                .Select(c => $"{c.Where}: appArmorProfile {c.Context!.AppArmorProfile!.Type}")
                .Concat((pod.Metadata?.Annotations ?? new Dictionary<string, string>())
                    .Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal) && a.Value != "runtime/default" && !a.Value.StartsWith("localhost/", StringComparison.Ordinal))
                    .Select(a => $"annotation {a.Key}: {a.Value}"))),
        new("SELinux", Level.Baseline, pod =>
            Contexts(pod).Select(c => (c.Where, Options: c.Context?.SeLinuxOptions)).Where(c => c.Options is not null)
                .SelectMany(c => new[]
                {
                    c.Options!.Type is { Length: > 0 } type && !SeLinuxTypes.Contains(type) ? $"{c.Where}: seLinuxOptions.type {type}" : null,
                    c.Options.User is { Length: > 0 } ? $"{c.Where}: seLinuxOptions.user" : null,
                    c.Options.Role is { Length: > 0 } ? $"{c.Where}: seLinuxOptions.role" : null,
                }.OfType<string>())),
        new("/proc Mount Type", Level.Baseline, pod =>
            Containers(pod).Where(c => c.SecurityContext?.ProcMount is { } mount && mount != "Default").Select(c => $"{c.Name}: procMount {c.SecurityContext!.ProcMount}")),
        new("Seccomp", Level.Baseline, pod =>
            Contexts(pod).Where(c => c.Context?.SeccompProfile?.Type == "Unconfined").Select(c => $"{c.Where}: seccompProfile Unconfined")),
        new("Sysctls", Level.Baseline, pod =>
            (pod.Spec.SecurityContext?.Sysctls ?? []).Where(s => !SafeSysctls.Contains(s.Name)).Select(s => $"sysctl {s.Name}")),

        new("Volume Types", Level.Restricted, pod =>
            (pod.Spec.Volumes ?? []).SelectMany(volume => typeof(V1Volume).GetProperties()
                .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null && !RestrictedVolumeSources.Contains(p.Name))
                .Select(p => $"volume {volume.Name}: {p.Name}"))),
        new("Privilege Escalation", Level.Restricted, pod =>
            Containers(pod).Where(c => c.SecurityContext?.AllowPrivilegeEscalation != false).Select(c => $"{c.Name}: allowPrivilegeEscalation is not false")),
        new("Running as Non-root", Level.Restricted, pod =>
            Containers(pod).Where(c => c.SecurityContext?.RunAsNonRoot == false
                    || (c.SecurityContext?.RunAsNonRoot != true && pod.Spec.SecurityContext?.RunAsNonRoot != true))
                .Select(c => $"{c.Name}: runAsNonRoot is not true")),
        new("Running as Non-root user", Level.Restricted, pod =>
            Contexts(pod).Where(c => c.Context?.RunAsUser == 0).Select(c => $"{c.Where}: runAsUser 0")),
        new("Seccomp (restricted)", Level.Restricted, pod =>
            Contexts(pod).Where(c => c.Context?.SeccompProfile?.Type is { } type && !IsRestrictedSeccomp(type)).Select(c => $"{c.Where}: seccompProfile {c.Context!.SeccompProfile!.Type}")
                .Concat(IsRestrictedSeccomp(pod.Spec.SecurityContext?.SeccompProfile?.Type) ? [] :
                    Containers(pod).Where(c => c.SecurityContext?.SeccompProfile?.Type is null).Select(c => $"{c.Name}: no seccompProfile (nor on the pod)"))),
        new("Capabilities (restricted)", Level.Restricted, pod =>
            Containers(pod).SelectMany(c => new[]
                {
                    c.SecurityContext?.Capabilities?.Drop?.Contains("ALL") == true ? null : $"{c.Name}: does not drop ALL",
                }.Concat((c.SecurityContext?.Capabilities?.Add ?? []).Where(cap => cap != "NET_BIND_SERVICE").Select(cap => $"{c.Name}: adds {cap}"))
                .OfType<string>())),
    ];

    /// <summary>Every violation of the controls of <paramref name="level"/> (restricted includes baseline).</summary>
    public static IReadOnlyList<Violation> Check(V1PodTemplateSpec pod, Level level) =>
        Controls.Where(control => control.Level <= level)
            .SelectMany(control => control.Violations(pod).Select(detail => new Violation(control.Name, detail)))
            .ToList();

    private static bool IsRestrictedSeccomp(string? type) => type is "RuntimeDefault" or "Localhost";

    private static IEnumerable<ContainerView> Containers(V1PodTemplateSpec pod) =>
        (pod.Spec.Containers ?? []).Select(c => new ContainerView(c.Name, c.SecurityContext, c.Ports))
            .Concat((pod.Spec.InitContainers ?? []).Select(c => new ContainerView(c.Name, c.SecurityContext, c.Ports)))
            .Concat((pod.Spec.EphemeralContainers ?? []).Select(c => new ContainerView(c.Name, c.SecurityContext, c.Ports)));

    /// <summary>The pod's security context and every container's, as the fields both carry (user, seccomp, SELinux, AppArmor, Windows).</summary>
    private static IEnumerable<(string Where, SharedContext? Context)> Contexts(V1PodTemplateSpec pod) =>
        new[] { ("pod", SharedContext.Of(pod.Spec.SecurityContext)) }
            .Concat(Containers(pod).Select(c => (c.Name, SharedContext.Of(c.SecurityContext))));

    private sealed record SharedContext(
        long? RunAsUser, V1SeccompProfile? SeccompProfile, V1SELinuxOptions? SeLinuxOptions, V1AppArmorProfile? AppArmorProfile, V1WindowsSecurityContextOptions? WindowsOptions)
    {
        public static SharedContext? Of(V1PodSecurityContext? pod) =>
            pod is null ? null : new(pod.RunAsUser, pod.SeccompProfile, pod.SeLinuxOptions, pod.AppArmorProfile, pod.WindowsOptions);

        public static SharedContext? Of(V1SecurityContext? container) =>
            container is null ? null : new(container.RunAsUser, container.SeccompProfile, container.SeLinuxOptions, container.AppArmorProfile, container.WindowsOptions);
    }
}
