using System.Text.RegularExpressions;
using Matrix.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>Binds the <c>Janitor</c> section strictly (unknown keys and unparsable values are errors) and validates it.</summary>
public static partial class JanitorOptionsLoader
{
    /// <summary>Returns the options, or the list of problems, each naming the configuration key at fault.</summary>
    public static (JanitorOptions? Options, IReadOnlyList<string> Errors) Load(IConfiguration configuration, bool serviceMode)
    {
        JanitorOptions options;
        try
        {
            options = configuration.GetSection(JanitorOptions.SectionName).Get<JanitorOptions>(binder => binder.ErrorOnUnknownConfiguration = true)
                ?? new JanitorOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key ("... at 'Janitor:Offload:Parallelism' ..."); values are not echoed.
            return (null, [DescribeBindingError(ex)]);
        }

        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            options.Database.ConnectionString = configuration.GetConnectionString("synapse");
        }

        var errors = JanitorOptionsValidator.Validate(options, serviceMode);
        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    private static string DescribeBindingError(InvalidOperationException ex)
    {
        // The binder's own messages quote the value, which could be a secret: keep only the key and the type.
        var conversion = ConversionFailure().Match(ex.Message);
        if (conversion.Success)
        {
            var type = conversion.Groups["type"].Value;
            var hint = type.EndsWith(nameof(Duration), StringComparison.Ordinal)
                ? "expected a duration such as 7d, 36h, 15m, 30s or 7.00:00:00"
                : $"expected a value of type {type.Split('.')[^1].TrimEnd('\'', ']')}";
            return $"{conversion.Groups["key"].Value} cannot be read: {hint}.";
        }
        var unknown = UnknownKeys().Match(ex.Message);
        if (unknown.Success)
        {
            return $"unknown setting(s) {unknown.Groups["keys"].Value} in the {unknown.Groups["type"].Value} part of the Janitor section (a typo?).";
        }
        return "invalid configuration under Janitor: " + ex.GetType().Name;
    }

    [GeneratedRegex("at '(?<key>[^']*)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("properties were not found on the instance of (?:[\\w]+\\.)*(?<type>\\w+): (?<keys>.+)$")]
    private static partial Regex UnknownKeys();
}
