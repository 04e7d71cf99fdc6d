using System.Globalization;
using k8s.Models;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Makes a pod meet the <c>restricted</c> Pod Security Standard
/// (https://kubernetes.io/docs/concepts/security/pod-security-standards/): it runs as the non-root user its image
/// runs as (<see cref="KubernetesRunAsAnnotation"/>, required of every published resource), with the runtime's default
/// seccomp profile, and every container drops all capabilities and cannot gain privileges. Nothing here adds a host
/// namespace, a host path, a host port or a capability, so only what the model asks for beyond this (coturn's and
/// LiveKit's host network) keeps a pod from the restricted level. A user or fsGroup the pod factory chose (the owner
/// of secret files, the writer of the shared media claim) is kept. The manifest builder applies it once to every pod
/// template, after the resources' callbacks, so a pod on the host network gets no network sysctl.
/// </summary>
public static class KubernetesPodSecurity
{
    public const string SeccompProfile = "RuntimeDefault";

    /// <summary>The baseline standard allows this sysctl; 0 lets a non-root process bind port 80 in its own network namespace.</summary>
    public const string UnprivilegedPortStart = "net.ipv4.ip_unprivileged_port_start";

    public static void Apply(V1PodSpec spec, IResource resource)
    {
        // A database's pods (its creation Job) run its server's image, so as the server's user.
        var user = resource.Annotations.OfType<KubernetesRunAsAnnotation>().LastOrDefault()
            ?? (resource as IResourceWithParent)?.Parent.Annotations.OfType<KubernetesRunAsAnnotation>().LastOrDefault()
            ?? throw new InvalidOperationException($"{resource.Name}: no Kubernetes user is known for its image (WithKubernetesUser); the restricted Pod Security Standard forbids running as root");
        if (user.User == 0 || user.Group == 0)
        {
            throw new InvalidOperationException($"{resource.Name}: the Kubernetes user must not be root (uid {user.User}, gid {user.Group})");
        }

        var pod = spec.SecurityContext ??= new V1PodSecurityContext();
        pod.RunAsNonRoot = true;
        pod.RunAsUser ??= user.User;
        pod.RunAsGroup ??= user.Group;
        pod.FsGroup ??= user.FsGroup;
        pod.SeccompProfile = new V1SeccompProfile { Type = SeccompProfile };
        if (user.BindsPrivilegedPort && spec.HostNetwork != true)
        {
            pod.Sysctls = [new V1Sysctl { Name = UnprivilegedPortStart, Value = "0" }];
        }

        var containers = spec.Containers.Concat(spec.InitContainers ?? []).ToList();
        for (var index = 0; index < user.WritableDirectories.Count; index++)
        {
            var name = "writable-" + (index + 1).ToString(CultureInfo.InvariantCulture);
            spec.Volumes ??= [];
            spec.Volumes.Add(new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource() });
            foreach (var container in containers)
            {
                container.VolumeMounts ??= [];
                container.VolumeMounts.Add(new V1VolumeMount { Name = name, MountPath = user.WritableDirectories[index] });
            }
        }
        foreach (var container in containers)
        {
            container.SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            };
        }
    }
}
