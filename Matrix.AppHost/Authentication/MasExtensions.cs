using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Wiring;
using Matrix.Stack.Mas;

namespace Matrix.AppHost.Authentication;

public static class MasExtensions
{
    /// <summary>The Aspire resource of MAS's database (the container already has the name <c>mas</c>).</summary>
    public const string DatabaseResourceName = "mas-database";

    public const string HttpEndpoint = MasResource.HttpEndpointName;
    public const string HealthEndpoint = MasResource.HealthEndpointName;

    /// <summary>
    /// Matrix Authentication Service, named <c>mas.host</c> (the host Synapse and the router reach it at): its config.yaml from Matrix.Stack, every secret as a one-value file, an HTTP
    /// health check and probes on its health listener. With no external database it gets its own database in the
    /// deployment's PostgreSQL (UTF8; MAS needs no C collation) and waits for it.
    /// </summary>
    public static IResourceBuilder<MasResource> AddMas(
        this IDistributedApplicationBuilder builder, string name, MatrixStack stack, IResourceBuilder<PostgresDatabaseResource> synapseDatabase)
    {
        var options = stack.Options;
        var mas = options.Mas;
        ComponentNaming.Require(name, "mas.host", mas.Host);
        var container = builder.AddResource(new MasResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.Mas)
            .WithArgs("server", "--config", MasPaths.Config(mas))
            .WithGeneratedFiles(mas.ConfigDirectory, stack.Files(MasPaths.Folder))
            .WithSecretFiles(options.Synapse.SecretsDirectory, MasSecrets.Files(mas).Select(stack.Secrets.File).ToList())
            .WithWiring(stack)
            // Browsers reach MAS at its public base URL; its health listener stays internal.
            .WithEndpoint(HttpEndpoint, endpoint => endpoint.IsExternal = true)
            // MAS's image is distroless (cc-debian12:nonroot): user nonroot, 65532.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(65532, 65532))
            .WithKubernetesSizing(stack.Sizing.Mas);
        // One probe: MAS has one health resource, and a second probe on the same path would be a second health check.
        container.WithHttpProbe(ProbeType.Readiness, MasEndpoints.HealthPath, periodSeconds: 5, endpointName: HealthEndpoint);

        if (!mas.HasExternalDatabase)
        {
            var server = builder.CreateResourceBuilder(synapseDatabase.Resource.Parent);
            var creation = CreationScript(mas.DatabaseName);
            var database = server.AddDatabase(DatabaseResourceName, mas.DatabaseName)
                .WithCreationScript(creation)
                .PublishWithKubernetesCreationJob(creation, options.Database.User, options.Database.Port);
            container.WaitFor(database);
        }
        return container;
    }

    /// <summary>UTF8 from template0 (template1 may carry another encoding); MAS needs no particular collation.</summary>
    public static string CreationScript(string databaseName) =>
        $"CREATE DATABASE {Data.SynapseDatabaseExtensions.QuotedIdentifier(databaseName)} WITH ENCODING 'UTF8' TEMPLATE template0";
}
