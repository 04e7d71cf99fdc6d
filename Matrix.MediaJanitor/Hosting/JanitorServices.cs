using Amazon.S3;
using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Reporting;
using Matrix.MediaJanitor.Storage;
using Matrix.MediaJanitor.SynapseAdmin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>
/// The janitor's dependencies, the same for both modes: validated options, Synapse's and the state database as
/// <see cref="NpgsqlDataSource"/>s, the S3 client, the Synapse admin API client with a resilience handler, metrics,
/// and <see cref="JanitorRun"/>.
/// </summary>
public static class JanitorServices
{
    /// <summary>Service key of the data source on Synapse's database.</summary>
    public const string SynapseDatabase = "synapse";

    /// <summary>Service key of the data source holding the janitor's state and run lock (Synapse's database unless configured).</summary>
    public const string StateDatabase = "state";

    /// <summary>Synapse's purge can take minutes on a large cache; attempts get this long before they count as failed.</summary>
    public static readonly TimeSpan AdminAttemptTimeout = TimeSpan.FromMinutes(30);

    public static IServiceCollection AddMediaJanitor(this IServiceCollection services, bool serviceMode)
    {
        services.AddOptions<JanitorOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<JanitorOptions>, JanitorOptionsSetup>();
        services.AddSingleton<IValidateOptions<JanitorOptions>>(new JanitorOptionsValidator(serviceMode));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<JanitorOptions>>().Value);

        // The connection strings are known only once the options are read (Janitor:Database or ConnectionStrings:synapse).
        services.AddNpgsqlDataSource("", (provider, dataSource) =>
            UseConnectionString(dataSource.ConnectionStringBuilder, provider.GetRequiredService<JanitorOptions>().Database.ConnectionString),
            serviceKey: SynapseDatabase);
        services.AddNpgsqlDataSource("", (provider, dataSource) =>
        {
            var database = provider.GetRequiredService<JanitorOptions>().Database;
            UseConnectionString(dataSource.ConnectionStringBuilder, string.IsNullOrWhiteSpace(database.StateConnectionString)
                ? database.ConnectionString
                : database.StateConnectionString);
        }, serviceKey: StateDatabase);

        services.AddSingleton<IAmazonS3>(provider =>
        {
            var options = provider.GetRequiredService<JanitorOptions>();
            return S3ClientFactory.Create(options.S3, options.Offload.Parallelism);
        });

        services.AddHttpClient<RemoteMediaCachePurger>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = AdminAttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = AdminAttemptTimeout * 2;
                // Polly requires the breaker's sampling window to be at least twice the attempt timeout.
                resilience.CircuitBreaker.SamplingDuration = AdminAttemptTimeout * 2;
            });

        services.AddSingleton(provider => new JanitorMetrics(provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(TimeProvider.System);
        services.AddTransient<JanitorRun>();
        return services;
    }

    /// <summary>
    /// Each pool holds at most <see cref="MaxPoolSize"/> connections unless the connection string says otherwise:
    /// Npgsql's default (100 per pool) would let the janitor alone take a database Matrix.Stack sized for Synapse
    /// (its DatabaseCapacity counts the janitor's two pools at this size).
    /// </summary>
    private static void UseConnectionString(NpgsqlConnectionStringBuilder builder, string? connectionString)
    {
        builder.ConnectionString = connectionString;
        if (!builder.ContainsKey("Maximum Pool Size"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }
    }

    /// <summary>The default offload parallelism (8), the run lock and a catalog read.</summary>
    public const int MaxPoolSize = 10;
}
