using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Validation;

namespace Matrix.Tests.Stack.Mas;

/// <summary>Bad MAS input: one problem naming the setting, and nothing rendered.</summary>
public class MasValidationTests
{
    private static IReadOnlyList<ValidationProblem> Validate(params string[] settings)
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        Assert.Empty(StackSettings.Apply(options, settings.Select(s => StackSettings.ParseAssignment(s)!.Value)));
        return StackValidator.Validate(options, StackSecretsFixture.All());
    }

    private static ValidationProblem SingleProblem(params string[] settings) => Assert.Single(Validate(settings));

    [Fact]
    public void MasWithoutPublicBaseUrlIsReported()
    {
        var problem = SingleProblem("mas.enabled=true");
        Assert.Equal("mas.publicBaseUrl", problem.Setting);
        Assert.Contains("required", problem.Message);
    }

    [Theory]
    [InlineData("http://auth.example.org/")]
    [InlineData("http://192.168.1.10:8080/")]
    public void PlainHttpOutsideLocalRunsIsReported(string url)
    {
        var problem = SingleProblem("mas.enabled=true", $"mas.publicBaseUrl={url}");
        Assert.Equal("mas.publicBaseUrl", problem.Setting);
        Assert.Contains("https", problem.Message);
    }

    [Theory]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://auth.matrix.localhost/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("https://auth.example.org/")]
    [InlineData("https://matrix.localhost/auth/")]
    public void HttpsAndLocalRunsAreAccepted(string url) =>
        Assert.Empty(Validate("mas.enabled=true", $"mas.publicBaseUrl={url}"));

    [Theory]
    [InlineData("auth.example.org")]
    [InlineData("ftp://auth.example.org/")]
    [InlineData("https://auth.example.org/?x=1")]
    public void MalformedBaseUrlsAreReported(string url) =>
        Assert.Equal("mas.publicBaseUrl", SingleProblem("mas.enabled=true", $"mas.publicBaseUrl={url}").Setting);

    [Fact]
    public void MasOnTheHomeserversOwnBaseIsReported()
    {
        var problem = SingleProblem("mas.enabled=true", "publicBaseUrl=https://matrix.example.org/", "mas.publicBaseUrl=https://matrix.example.org");
        Assert.Equal("mas.publicBaseUrl", problem.Setting);
        Assert.Contains("host of its own", problem.Message);
    }

    [Fact]
    public void PasswordLoginForcedOnIsReported()
    {
        var problem = SingleProblem("mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/", "synapse.passwordLogin=true");
        Assert.Equal("synapse.passwordLogin", problem.Setting);
        Assert.Empty(Validate("mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/", "synapse.passwordLogin=false"));
        Assert.Empty(Validate("synapse.passwordLogin=true"));
    }

    [Fact]
    public void SynapseRegistrationWithMasIsReported() =>
        Assert.Equal("synapse.enableRegistration",
            SingleProblem("mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/", "synapse.enableRegistration=true").Setting);

    [Fact]
    public void MasPoolsWithoutMasAreReported()
    {
        Assert.Equal("workers.mas-helper", SingleProblem("workers.mas-helper=1").Setting);
        Assert.Equal("workers.mas", SingleProblem("mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/", "workers.mas=1").Setting);
    }

    [Fact]
    public void SamePortForWebAndHealthIsReported() =>
        Assert.Equal("mas.healthPort", SingleProblem("mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/", "mas.healthPort=8080").Setting);

    [Fact]
    public void MissingMasSecretsAreReportedByName()
    {
        var options = RenderedMas.OptionsFor(StackPresets.Monolith);
        var problem = Assert.Single(StackValidator.Validate(options, StackSecretsFixture.AllBut(SecretName.MasSigningKeyEc)));
        Assert.Equal($"secrets.{SecretName.MasSigningKeyEc}", problem.Setting);
    }

    [Fact]
    public void NothingIsRenderedOnError()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.Mas.Enabled = true;
        var error = Assert.Throws<StackValidationException>(() => StackRenderer.Render(options, StackSecretsFixture.All()));
        Assert.Contains("mas.publicBaseUrl", error.Message);
        Assert.Throws<StackValidationException>(() => StackRenderer.RenderConfiguration(options));
    }
}
