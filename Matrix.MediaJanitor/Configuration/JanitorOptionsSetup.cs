using Matrix.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>
/// Reads the <c>Janitor</c> section once, strictly: an unknown key (a typo) or an unreadable value becomes a problem
/// naming the key, never repeating the value (it may be a secret), for <see cref="JanitorOptionsValidator"/> to report.
/// </summary>
internal sealed class JanitorOptionsSetup(IConfiguration configuration) : IConfigureOptions<JanitorOptions>
{
    public void Configure(JanitorOptions options)
    {
        CheckedBinder.Bind(configuration.GetSection(JanitorOptions.SectionName), options, options.ReadProblems,
            unknownKeyHint: " (a typo? docs/media-janitor.md lists every setting)");
        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            // What Aspire injects for WithReference(synapseDatabase).
            options.Database.ConnectionString = configuration.GetConnectionString("synapse");
        }
    }
}
