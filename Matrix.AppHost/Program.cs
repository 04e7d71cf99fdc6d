using Matrix.AppHost.Calls;
using Matrix.AppHost.Clients;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Data;
using Matrix.AppHost.Media;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Secrets;
using Matrix.AppHost.Synapse;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost;

/// <summary>
/// The Matrix stack as an Aspire application model. Read top to bottom it is the deployment diagram;
/// every decision that needs no Aspire (layout, ports, file contents) comes from Matrix.Stack.
/// <c>dotnet run</c> starts it under the dashboard; <c>aspire publish</c> writes the Helm chart.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);

        // Which deployment: a Matrix.Stack preset plus settings (Matrix:Preset, Matrix:Settings:*, Matrix:SettingsFile).
        var selection = MatrixStackConfiguration.ReadSelection(builder.Configuration, builder.AppHostDirectory);
        var stack = MatrixStackConfiguration.Build(selection);
        var secrets = builder.AddMatrixSecrets(stack);

        // State: PostgreSQL (C collation, as Synapse requires), Synapse's Redis, S3 media (MinIO unless external).
        var database = builder.AddSynapseDatabase(stack, secrets);
        var redis = builder.AddPrivateRedis(stack.Options.Redis.Host, secrets[SecretName.RedisPassword]);
        var media = builder.AddMediaStorage(stack, secrets);

        // Synapse: main first, then every worker instance of the layout.
        var synapse = builder.AddSynapse(stack, secrets, database, redis, media);

        // The router in front of every Synapse process, and the janitor that moves media to S3.
        var router = builder.AddMatrixRouter(selection, synapse);
        builder.AddMediaJanitor(stack, secrets, database, media, synapse);

        // Calls: TURN relay, LiveKit with its own Redis (never Synapse's) and lk-jwt-service.
        builder.AddCoturn(stack, secrets);
        builder.AddLiveKit(stack, secrets);

        // Clients.
        builder.AddElementWeb(stack, router);
        builder.AddSynapseAdmin(stack, router);

        builder.AddKubernetesEnvironment(stack.Options);

        builder.Build().Run();
    }
}
