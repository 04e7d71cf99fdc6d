using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;

namespace Matrix.AppHost.Data;

public static class PrivateRedisExtensions
{
    /// <summary>
    /// A Redis reachable only inside the stack, with a password. Plain TCP: Synapse and LiveKit do not use the TLS
    /// endpoint Aspire would add when a development certificate exists. Synapse's and LiveKit's Redis are two of these,
    /// never one shared instance.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddPrivateRedis(
        this IDistributedApplicationBuilder builder, MatrixStack stack, string name, IResourceBuilder<ParameterResource> password)
    {
#pragma warning disable ASPIRECERTIFICATES001 // Experimental: the opt-out of Aspire's run-mode TLS for Redis.
        return builder.AddRedis(name, password: password)
            .WithoutHttpsCertificate()
            .WithMatrixImage(stack.Images, ContainerImages.Component.Redis)
            // The official redis image's user redis is 999:999 and owns /data; the command given runs redis-server directly.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(999, 999))
            .WithKubernetesSizing(stack.Sizing.Redis);
#pragma warning restore ASPIRECERTIFICATES001
    }
}
