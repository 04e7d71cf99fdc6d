using Microsoft.Extensions.Configuration;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>Binds the <c>Janitor</c> section strictly (unknown keys and unparsable values are errors) and validates it.</summary>
public static class JanitorOptionsLoader
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
        var messages = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }
        return "invalid configuration: " + string.Join(" ", messages);
    }
}
