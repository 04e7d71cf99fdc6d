using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>
/// The dashboard's red "no trusted development certificate" banner: Aspire 17 shows it at start (and logs "No trusted
/// Aspire development certificate was found") only when some resource would be offered the ASP.NET Core development
/// certificate: an https endpoint, or an HTTPS certificate callback (every project resource, the Redis integration)
/// not switched off with <c>WithoutHttpsCertificate</c> (Aspire.Hosting 17.0.0, DcpHost.EnsureDevelopmentCertificateTrustAsync).
/// No endpoint of this stack is https in a local run, so no resource may ask for it. DocumentedRunTests checks that the
/// README's run logs no such warning.
/// </summary>
public sealed class DevelopmentCertificateTests
{
    [Theory]
    [InlineData(StackPresets.Monolith)]
    [InlineData(StackPresets.Full)]
    public async Task NoResourceIsOfferedTheDevelopmentCertificate(string preset)
    {
        await using var builder = await AppHostFactory.CreateAsync(preset, "--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.matrix.localhost/");
        var asking = builder.Resources.Where(AsksForTheCertificate).Select(r => r.Name).ToList();
        Assert.True(asking.Count == 0, $"these resources would make the dashboard show the development-certificate banner: {string.Join(", ", asking)}");
    }

#pragma warning disable ASPIRECERTIFICATES001 // Experimental: Aspire's run-mode TLS annotations, read as Aspire reads them.
    private static bool AsksForTheCertificate(IResource resource)
    {
        if (resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme == "https"))
        {
            return true;
        }
        if (!resource.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any())
        {
            return false;
        }
        return !(resource.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var certificate)
            && certificate.UseDeveloperCertificate == false && certificate.Certificate is null);
    }
#pragma warning restore ASPIRECERTIFICATES001
}
