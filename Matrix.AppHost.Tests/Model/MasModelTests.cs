using Matrix.AppHost.Authentication;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Layout;
using Matrix.Stack.Mas;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>
/// MAS in the model of every preset, as the AppHost builds it with <c>mas.enabled</c>. No MAS image can be pulled on
/// these machines, so this checks what is declared (image, files, secrets, endpoints, health, start order), not a running MAS.
/// </summary>
public sealed class MasModelTests
{
    public static TheoryData<string> Presets => new(StackPresets.Names);

    private static readonly string[] MasOn = ["--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.matrix.localhost/"];

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task MasIsAPinnedContainerWithItsConfigSecretFilesAndHealth(string preset)
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(preset, MasOn);
        var mas = builder.Get<ContainerResource>("mas");

        var image = mas.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal("ghcr.io", image.Registry);
        Assert.Equal("element-hq/matrix-authentication-service", image.Image);
        Assert.Equal(ContainerImages.Pinned[ContainerImages.Component.Mas].Tag, image.Tag);

        Assert.Equal(["server", "--config", "/etc/mas/config.yaml"], await mas.ArgumentsAsync());
        var config = mas.Annotations.OfType<Matrix.AppHost.Files.GeneratedFilesAnnotation>().Single();
        Assert.Equal("/etc/mas", config.Directory);
        Assert.Equal(MasPaths.ConfigFileName, Assert.Single(config.Files).RelativePath);

        var secrets = mas.SecretFiles("/run/secrets/matrix");
        Assert.Equal(
            new[] { SecretName.MasSharedSecret, SecretName.MasEncryptionKey, SecretName.MasSigningKeyRsa, SecretName.MasSigningKeyEc, SecretName.MasAdminClientSecret, SecretName.PostgresPassword }.Order(),
            secrets.Keys.Order());
        Assert.All(secrets, s => Assert.True(s.Value.Secret, $"{s.Key} is not a secret parameter"));

        Assert.Equal(8080, mas.Endpoint(MasExtensions.HttpEndpoint).TargetPort);
        Assert.Equal(8081, mas.Endpoint(MasExtensions.HealthEndpoint).TargetPort);
        Assert.Contains(mas.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Length > 0);
        Assert.Contains(MasExtensions.DatabaseResourceName, mas.WaitsFor());

        // Synapse gets the shared secret file its matrix_authentication_service section names.
        var layout = SynapseLayout.Create(StackPresets.Create(preset));
        foreach (var instance in layout.Instances)
        {
            Assert.Same(secrets[SecretName.MasSharedSecret], builder.Get<ContainerResource>(instance.Host).SecretFiles("/run/secrets/matrix")[SecretName.MasSharedSecret]);
        }
    }

    [Fact]
    public async Task MasGetsItsOwnUtf8DatabaseInTheSameServer()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith, MasOn);
        var database = builder.Get<PostgresDatabaseResource>(MasExtensions.DatabaseResourceName);
        Assert.Equal("mas", database.DatabaseName);
        Assert.Equal("postgres", database.Parent.Name);
        var script = database.Annotations.Single(a => a.GetType().Name == "PostgresCreateDatabaseScriptAnnotation");
        Assert.Equal("CREATE DATABASE \"mas\" WITH ENCODING 'UTF8' TEMPLATE template0", (string)script.GetType().GetProperty("Script")!.GetValue(script)!);
    }

    [Fact]
    public async Task AnExternalDatabaseAddsNoDatabaseResourceAndAPasswordSecret()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith,
            [.. MasOn, "--Matrix:Settings:mas.database.host=db.example.org"]);
        Assert.DoesNotContain(builder.Resources, r => r.Name == MasExtensions.DatabaseResourceName);
        var mas = builder.Get<ContainerResource>("mas");
        Assert.Empty(mas.WaitsFor());
        Assert.Contains(SecretName.MasDatabasePassword, mas.SecretFiles("/run/secrets/matrix").Keys);
        Assert.DoesNotContain(SecretName.PostgresPassword, mas.SecretFiles("/run/secrets/matrix").Keys);
    }

    [Fact]
    public async Task WithoutMasNothingOfItIsInTheModel()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith);
        Assert.DoesNotContain(builder.Resources, r => r.Name is "mas" or MasExtensions.DatabaseResourceName
            || r.Name == MatrixSecrets.ParameterName(SecretName.MasSharedSecret));
    }
}
