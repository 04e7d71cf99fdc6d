using Matrix.Stack.Coturn;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Validation;

namespace Matrix.Tests.Stack.Rendering;

/// <summary>
/// <see cref="StackRenderer.RenderConfiguration"/>: every configuration file a host needs when it delivers each secret
/// on its own (the AppHost), rendered without any secret, for every preset with and without coturn and LiveKit.
/// </summary>
public class ConfigurationRenderingTests
{
    public static TheoryData<string, bool, bool> Deployments() => Components.ComponentSecretsTests.Deployments();

    private static StackOptions Options(string preset, bool coturn, bool liveKit)
    {
        var options = StackPresets.Create(preset);
        options.Coturn.Enabled = coturn;
        options.LiveKit.Enabled = liveKit;
        return options;
    }

    /// <summary>Values that cannot occur in a file by chance.</summary>
    private static StackSecrets DistinctSecrets() =>
        new(SecretName.All.ToDictionary(name => name, name => name == SecretName.SigningKey ? TestSigningKey.Value : $"{name}-{Guid.NewGuid():N}"));

    [Theory]
    [MemberData(nameof(Deployments))]
    public void HoldsEveryConfigFileOfTheFullRenderingAndNoSecretValue(string preset, bool coturn, bool liveKit)
    {
        var options = Options(preset, coturn, liveKit);
        var secrets = DistinctSecrets();
        var full = StackRenderer.Render(options, secrets);

        var configuration = StackRenderer.RenderConfiguration(options);

        Assert.All(configuration, file => Assert.Equal(RenderedFileKind.Config, file.Kind));
        // Every configuration file the one-host rendering has, with the same content: nothing is missing for a host.
        var fullConfig = full.Where(f => f.Kind == RenderedFileKind.Config).ToList();
        Assert.Equal(fullConfig, configuration.Where(f => f.Path != CoturnConfigRenderer.ConfigPath));
        // The only addition: coturn's file, which is the complete (secret) file without its last line.
        Assert.Equal(coturn, configuration.Any(f => f.Path == CoturnConfigRenderer.ConfigPath));
        if (coturn)
        {
            var complete = full.Single(f => f.Path == CoturnConfigRenderer.ConfigPath);
            var withoutSecret = configuration.Single(f => f.Path == CoturnConfigRenderer.ConfigPath);
            Assert.Equal(RenderedFileKind.Secret, complete.Kind);
            Assert.Equal(complete.Content, withoutSecret.Content + CoturnConfigRenderer.SharedSecretLine(secrets.Reveal(SecretName.TurnSharedSecret)));
            Assert.DoesNotContain(CoturnConfigRenderer.SharedSecretOption, withoutSecret.Content.Split('\n').Select(l => l.Split('=')[0]));
        }

        var leaks = (
            from file in configuration
            from name in SecretName.All
            where file.Content.Contains(secrets.Reveal(name), StringComparison.Ordinal)
            select $"{file.Path} holds {name}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    [Fact]
    public void LeavesOutEverySecretFile()
    {
        var options = StackPresets.Create(StackPresets.Full);
        var secretPaths = StackRenderer.Render(options, DistinctSecrets()).Where(f => f.Kind == RenderedFileKind.Secret).Select(f => f.Path).ToList();

        var paths = StackRenderer.RenderConfiguration(options).Select(f => f.Path).ToList();

        Assert.Contains($"{SecretFilesRenderer.Folder}/{SecretName.SigningKey}", secretPaths);
        Assert.Contains("livekit/keys.yaml", secretPaths);
        Assert.DoesNotContain(paths, p => p.StartsWith(SecretFilesRenderer.Folder + "/", StringComparison.Ordinal));
        Assert.DoesNotContain("livekit/keys.yaml", paths);
        Assert.Equal(secretPaths.Where(p => p != CoturnConfigRenderer.ConfigPath), secretPaths.Except(paths));
    }

    [Fact]
    public void RenderingTwiceGivesIdenticalFiles()
    {
        var options = StackPresets.Create(StackPresets.Large);

        Assert.Equal(StackRenderer.RenderConfiguration(options), StackRenderer.RenderConfiguration(options));
    }

    [Fact]
    public void InvalidOptionsRenderNothingAndNameTheSetting()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.ServerName = "Not A Server Name";

        var error = Assert.Throws<StackValidationException>(() => StackRenderer.RenderConfiguration(options));

        Assert.Contains(error.Problems, p => p.Setting == "serverName");
    }

    [Fact]
    public void AComponentThatWouldNeedASecretForItsConfigurationFailsInsteadOfWritingOne()
    {
        IComponentRenderer careless = new RendererRevealingASecret();
        var deployment = MatrixDeployment.Create(StackPresets.Create(StackPresets.Monolith));

        // The default configuration rendering has no secret to give: asking for one fails, naming it.
        var error = Assert.Throws<InvalidOperationException>(() => careless.RenderConfiguration(deployment).ToList());

        Assert.Contains(SecretName.FormSecret, error.Message);
    }

    private sealed class RendererRevealingASecret : IComponentRenderer
    {
        public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) =>
            [new RenderedFile("careless/config", "form=" + secrets.Reveal(SecretName.FormSecret))];
    }
}
