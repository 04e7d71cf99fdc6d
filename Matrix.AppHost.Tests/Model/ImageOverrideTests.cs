using Matrix.Stack.Layout;
using Matrix.Stack.Presets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>Matrix:Images:* replaces any image and the pull policy, so the same model runs on locally built images.</summary>
public sealed class ImageOverrideTests
{
    [Fact]
    public async Task AConfiguredImageReplacesThePinnedOneAndIsNotRebuilt()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Specialized,
            "--Matrix:Images:synapse=localhost/matrix-test/synapse:1.160",
            "--Matrix:Images:postgres=localhost/matrix-test/postgres:15",
            "--Matrix:Images:PullPolicy=Never");
        var layout = SynapseLayout.Create(StackPresets.Create(StackPresets.Specialized));

        foreach (var instance in layout.Instances)
        {
            var container = builder.Get<ContainerResource>(instance.Host);
            var image = container.Annotations.OfType<ContainerImageAnnotation>().Single();
            Assert.Equal(("localhost", "matrix-test/synapse", "1.160"), (image.Registry, image.Image, image.Tag));
            Assert.Empty(container.Annotations.OfType<DockerfileBuildAnnotation>());
            Assert.Equal(ImagePullPolicy.Never, container.Annotations.OfType<ContainerImagePullPolicyAnnotation>().Single().ImagePullPolicy);
        }
        var postgres = builder.Get<PostgresServerResource>("postgres").Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal("localhost/matrix-test/postgres:15", $"{postgres.Registry}/{postgres.Image}:{postgres.Tag}");
        // Not configured: the pinned image, with the policy still applied.
        var coturn = builder.Get<ContainerResource>("coturn");
        Assert.Equal(ContainerImages.Pinned[ContainerImages.Component.Coturn].Name, coturn.Annotations.OfType<ContainerImageAnnotation>().Single().Image);
        Assert.Equal(ImagePullPolicy.Never, coturn.Annotations.OfType<ContainerImagePullPolicyAnnotation>().Single().ImagePullPolicy);
    }

    [Fact]
    public async Task BadImageSettingsStopTheApphostNamingEach()
    {
        var result = await Infrastructure.AppHostProcess.RunAsync($"--Matrix:Preset={StackPresets.Monolith}",
            "--Matrix:Images:synpase=localhost/x:1", "--Matrix:Images:coturn=coturn", "--Matrix:Images:PullPolicy=Sometimes");
        Infrastructure.AppHostProcess.AssertRefused(result,
            "Matrix:Images:synpase: no such component",
            "Matrix:Images:coturn: 'coturn' is not an image reference",
            "Matrix:Images:PullPolicy: 'Sometimes'");
    }

    [Fact]
    public async Task ComponentsSwitchedOffAreNotInTheModel()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith,
            "--Matrix:Settings:coturn.enabled=false", "--Matrix:Settings:livekit.enabled=false",
            "--Matrix:Settings:elementWeb.enabled=false", "--Matrix:Settings:synapseAdmin.enabled=false",
            "--Matrix:Settings:s3.endpoint=http://127.0.0.1:9", "--Matrix:Settings:s3.synapseStorageProvider=false");
        var names = builder.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var absent in new[] { "coturn", "livekit", "livekit-redis", "lk-jwt-service", "element-web", "synapse-admin", "minio", "minio-bucket" })
        {
            Assert.DoesNotContain(absent, names);
        }
        foreach (var present in new[] { "postgres", "redis", "synapse-main", "router", "media-janitor" })
        {
            Assert.Contains(present, names);
        }
        // Without the storage provider Synapse gets no S3 credentials; the janitor still has them.
        var main = await builder.Get<ContainerResource>("synapse-main").EnvironmentAsync(builder.ExecutionContext);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", main.Keys);
    }
}
