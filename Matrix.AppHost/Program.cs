using Matrix.AppHost.Authentication;
using Matrix.AppHost.Calls;
using Matrix.AppHost.Clients;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Data;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Media;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Synapse;
using Matrix.Stack.Secrets;
using Matrix.Stack.Validation;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost;

/// <summary>
/// The Matrix stack as an Aspire application model. Read top to bottom it is the deployment diagram; every decision that
/// needs no Aspire (layout, ports, file contents) comes from Matrix.Stack, and this file decides which parts exist.
/// <c>dotnet run</c> starts it under the dashboard.
/// </summary>
public static class Program
{
    /// <summary>
    /// Builds and runs the model. A deployment that cannot be modelled (a bad setting, image or Kubernetes setting) is
    /// reported as one list naming every problem, like <c>matrix-stack validate</c>, with exit code 1 and no stack trace.
    /// </summary>
    public static int Main(string[] args)
    {
        try
        {
            Build(args).Run();
            return 0;
        }
        catch (StackValidationException invalid)
        {
            Console.Error.WriteLine($"error: the AppHost cannot model this deployment. {invalid.Message}");
            return 1;
        }
    }

    private static DistributedApplication Build(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);

        // Which deployment: a Matrix.Stack preset plus settings (Matrix:Preset, Matrix:Settings:*, Matrix:SettingsFile),
        // the images (Matrix:Images:*), and one secret parameter per secret.
        var stack = builder.AddMatrixStack();
        var options = stack.Options;

        // State: PostgreSQL (C collation, as Synapse requires), Synapse's Redis, S3 media (MinIO unless external).
        var database = builder.AddSynapseDatabase(stack);
        var redis = builder.AddPrivateRedis(stack, options.Redis.Host, stack.Secrets[SecretName.RedisPassword]);
        var media = builder.AddMediaStorage(stack);

        // Synapse: main first (after its state), then every worker instance of the layout (after main).
        var synapse = builder.AddSynapse(stack, media)
            .WaitForState(database, redis, media);

        // Authentication: MAS does every login when on.
        if (options.Mas.Enabled)
        {
            builder.AddMas(options.Mas.Host, stack, database);
        }

        // The router in front of every Synapse process that serves requests (and MAS); the janitor that moves media to
        // S3 when there is S3.
        var router = builder.AddMatrixRouter(stack, synapse);
        if (media.S3 is { } s3)
        {
            builder.AddMediaJanitor(stack, s3).WaitFor(synapse.Main);
        }

        // Calls: TURN relay, LiveKit with its own Redis (never Synapse's) and lk-jwt-service.
        if (options.Coturn.Enabled)
        {
            builder.AddCoturn(ComponentNames.Coturn, stack);
        }
        if (options.LiveKit.Enabled)
        {
            var liveKitRedis = builder.AddPrivateRedis(stack, options.LiveKit.RedisHost, stack.Secrets[SecretName.LiveKitRedisPassword]);
            var liveKit = builder.AddLiveKit(ComponentNames.LiveKit, stack).WaitFor(liveKitRedis);
            builder.AddLiveKitJwtService(ComponentNames.LiveKitJwtService, stack).WaitFor(liveKit);
        }

        // Clients, served beside the router they talk to.
        if (options.ElementWeb.Enabled)
        {
            builder.AddElementWeb(ComponentNames.ElementWeb, stack).WithReferenceRelationship(router);
        }
        if (options.SynapseAdmin.Enabled)
        {
            builder.AddSynapseAdmin(ComponentNames.SynapseAdmin, stack).WithReferenceRelationship(router);
        }

        // `aspire publish`: the Kubernetes manifests of this same model.
        builder.AddKubernetesEnvironment(stack.Kubernetes);

        return builder.Build();
    }
}
