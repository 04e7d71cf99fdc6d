using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Data;

public static class SynapseDatabaseExtensions
{
    /// <summary>The Aspire resource name of Synapse's database; the janitor reads <c>ConnectionStrings:synapse</c>.</summary>
    public const string DatabaseResourceName = Matrix.Stack.Wiring.ComponentNames.SynapseDatabase;

    /// <summary>
    /// The official postgres image's user <c>postgres</c>, 999:999, in Kubernetes (the database creation Job runs the same
    /// image as the same user); the data volume's group lets it create its PGDATA there.
    /// </summary>
    public static readonly KubernetesRunAsAnnotation PostgresImageUser = new(999, 999, FsGroup: 999);

    /// <summary>Arguments of the cluster's initdb: Aspire's SCRAM authentication, plus UTF8 and the C locale Synapse requires.</summary>
    public const string InitDbArguments = "--auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C";

    /// <summary>
    /// PostgreSQL with the <c>synapse</c> database created as Synapse requires (UTF8, <c>LC_COLLATE</c>/<c>LC_CTYPE</c> 'C').
    /// In run mode Aspire runs the creation script once the server is up; when published nothing runs it, so the
    /// cluster itself is initialised with the C locale and creates the database (<c>POSTGRES_DB</c>) on first start.
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddSynapseDatabase(
        this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
        var database = stack.Options.Database;
        var user = builder.AddParameter("postgres-user", database.User, publishValueAsDefault: true);

        var server = builder.AddPostgres(database.Host, userName: user, password: stack.Secrets[SecretName.PostgresPassword])
            .WithMatrixImage(stack.Images, ContainerImages.Component.Postgres)
            .WithDataVolume()
            // Replaces the value AddPostgres sets (environment callbacks run in order; the last one wins).
            .WithEnvironment("POSTGRES_INITDB_ARGS", InitDbArguments)
            .WithEnvironment("POSTGRES_DB", database.Name)
            // Sized from the layout (every process's pool, MAS, the janitor): the image default of 100 is too few
            // for any layout with workers. The image's entrypoint reads a first argument starting with '-' as postgres options.
            .WithArgs("-c", MaxConnectionsArgument(stack.Options))
            .WithKubernetesUser(PostgresImageUser)
            .WithKubernetesSizing(stack.Sizing.Postgres)
            .PublishAsKubernetes(objects => SizeForScaledPools(objects, stack))
            .PublishAsKubernetes(PublishAsExternalName);

        return server.AddDatabase(DatabaseResourceName, database.Name)
            .WithCreationScript(CreationScript(database.Name));
    }

    // With Matrix:Kubernetes:ExternalPostgres, no server runs in the cluster: the stack's config files address the
    // database as the resource, so the name stays, as a Service pointing elsewhere.
    private static void PublishAsExternalName(KubernetesResourceObjects objects)
    {
        if (objects.Settings.ExternalPostgres is not { } externalHost)
        {
            return;
        }
        objects.Objects.Clear();
        objects.Objects.Add(new k8s.Models.V1Service
        {
            ApiVersion = "v1", Kind = k8s.Models.V1Service.KubeKind,
            Metadata = KubernetesLabels.Metadata(objects.Resource.Name, objects.Resource),
            Spec = new k8s.Models.V1ServiceSpec { Type = "ExternalName", ExternalName = externalHost },
        });
    }

    public static string MaxConnectionsArgument(Matrix.Stack.Model.StackOptions options) => MaxConnectionsArgument(Matrix.Stack.Wiring.DatabaseCapacity.Of(options));

    private static string MaxConnectionsArgument(Matrix.Stack.Wiring.DatabaseCapacity capacity) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"max_connections={capacity.ServerMaxConnections}");

    // In Kubernetes a scalable pool may run up to its maximum of pods (Matrix:Kubernetes:MaxReplicas), each with its own
    // connection pool: the server accepts them all.
    private static void SizeForScaledPools(KubernetesResourceObjects objects, MatrixStack stack)
    {
        var more = objects.Settings.MorePodsThanTheLayout(stack.Deployment.Layout);
        var sized = MaxConnectionsArgument(Matrix.Stack.Wiring.DatabaseCapacity.Of(stack.Options).WithMoreSynapseProcesses(more, stack.Options.Database.PoolMax));
        var container = objects.PodTemplate.Spec.Containers.Single();
        var index = container.Args.IndexOf(MaxConnectionsArgument(stack.Options));
        if (index < 0)
        {
            throw new InvalidOperationException($"{objects.Resource.Name}: no {MaxConnectionsArgument(stack.Options)} argument to size for the scalable pools");
        }
        container.Args[index] = sized;
    }

    /// <summary>The statement Aspire runs: template0, because template1 may carry another locale (Synapse checks it at start).</summary>
    public static string CreationScript(string databaseName) =>
        $"CREATE DATABASE {QuotedIdentifier(databaseName)} WITH ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0";

    /// <summary>A database name as an SQL identifier: double-quoted, a quote in it doubled.</summary>
    public static string QuotedIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
