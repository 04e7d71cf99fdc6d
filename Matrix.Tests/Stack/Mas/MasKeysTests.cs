using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Matrix.Stack.Mas;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack.Mas;

/// <summary>What generate-secrets produces for MAS, read back with .NET's own PEM parsers.</summary>
public class MasKeysTests
{
    [Fact]
    public void GeneratedSecretsIncludeEveryMasKeyInMasFormats()
    {
        var secrets = SecretGenerator.Generate(RenderedMas.OptionsFor(StackPresets.Monolith));

        Assert.Matches(new Regex("^[0-9a-f]{64}$"), secrets.Reveal(SecretName.MasEncryptionKey));

        using var rsa = RSA.Create();
        rsa.ImportFromPem(secrets.Reveal(SecretName.MasSigningKeyRsa));
        Assert.Equal(MasKeys.RsaKeySize, rsa.KeySize);

        using var ec = ECDsa.Create();
        ec.ImportFromPem(secrets.Reveal(SecretName.MasSigningKeyEc));
        Assert.Equal(256, ec.KeySize);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, ec.ExportParameters(false).Curve.Oid.Value);

        Assert.True(secrets.IsPresent(SecretName.MasSharedSecret));
        Assert.True(secrets.IsPresent(SecretName.MasAdminClientSecret));
        Assert.NotEqual(secrets.Reveal(SecretName.MasSharedSecret), SecretGenerator.Generate(RenderedMas.OptionsFor(StackPresets.Monolith)).Reveal(SecretName.MasSharedSecret));
    }

    [Fact]
    public void WithoutMasNoMasSecretIsGenerated() =>
        Assert.DoesNotContain(SecretGenerator.Generate(StackPresets.Create(StackPresets.Monolith)).Names, n => n.StartsWith("mas_", StringComparison.Ordinal));

    [Fact]
    public void PemKeysSurviveTheSecretsFileGenerateSecretsWrites()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mas-secrets-").FullName, "secrets.yaml");
        try
        {
            string[] mas = ["--set", "mas.enabled=true", "--set", $"mas.publicBaseUrl={RenderedMas.PublicBase}"];
            var code = Matrix.Stack.Cli.StackCommandLine.Run(["generate-secrets", "--preset", "monolith", .. mas, "--out", file],
                new Matrix.Stack.Cli.CliConsole(new StringReader(""), new StringWriter(), new StringWriter()));
            Assert.Equal(0, code);

            // Read back the way render reads it: multi-line PEM values must come back with their line breaks.
            var secrets = Matrix.Stack.Cli.DeploymentInputs.Load("monolith", null, ["mas.enabled=true", $"mas.publicBaseUrl={RenderedMas.PublicBase}"], file, secretsWanted: true).Secrets!;
            using var rsa = RSA.Create();
            rsa.ImportFromPem(secrets.Reveal(SecretName.MasSigningKeyRsa));
            using var ec = ECDsa.Create();
            ec.ImportFromPem(secrets.Reveal(SecretName.MasSigningKeyEc));
            Assert.Contains('\n', secrets.Reveal(SecretName.MasSigningKeyRsa));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
