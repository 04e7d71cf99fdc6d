using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack.Components;

/// <summary>Across presets and component switches: secret values only in secret files, and stable output.</summary>
public class ComponentSecretsTests
{
    public static TheoryData<string, bool, bool> Deployments()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var preset in StackPresets.Names)
        {
            foreach (var coturn in new[] { true, false })
            {
                foreach (var liveKit in new[] { true, false })
                {
                    data.Add(preset, coturn, liveKit);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void SecretValuesAppearOnlyInSecretFiles(string preset, bool coturn, bool liveKit)
    {
        var options = StackPresets.Create(preset);
        options.Coturn.Enabled = coturn;
        options.LiveKit.Enabled = liveKit;
        var secrets = ComponentFiles.DistinctSecrets();

        var files = StackRenderer.Render(options, secrets).Where(f => ComponentFiles.Folders.Contains(f.Component)).ToList();

        var leaks = (
            from file in files
            where file.Kind != RenderedFileKind.Secret
            from name in SecretName.All
            where file.Content.Contains(secrets.Reveal(name), StringComparison.Ordinal)
            select $"{file.Path} holds {name}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.Equal(coturn, files.Any(f => f.Component == "coturn"));
        Assert.Equal(liveKit, files.Any(f => f.Component == "livekit"));
        Assert.Equal(liveKit, files.Any(f => f.Component == "lk-jwt-service"));
    }

    [Fact]
    public void SecretFilesPrintNoContent()
    {
        var secrets = ComponentFiles.DistinctSecrets();

        foreach (var file in ComponentFiles.Render(secrets: secrets).Where(f => f.Kind == RenderedFileKind.Secret))
        {
            Assert.DoesNotContain(file.Content, file.ToString());
        }
    }

    [Fact]
    public void RenderingTwiceGivesIdenticalFiles()
    {
        var secrets = ComponentFiles.DistinctSecrets();

        var first = ComponentFiles.Render(secrets: secrets).Where(f => ComponentFiles.Folders.Contains(f.Component)).ToList();
        var second = ComponentFiles.Render(secrets: secrets).Where(f => ComponentFiles.Folders.Contains(f.Component)).ToList();

        Assert.Equal(first, second);
        Assert.NotEmpty(first);
    }
}
