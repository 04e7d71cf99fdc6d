using k8s.Models;
using Matrix.AppHost.Authentication;
using Matrix.AppHost.Data;
using Matrix.AppHost.Kubernetes;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// The Job that creates MAS's database, run for real: its container's command and variables, as the kubelet would give
/// them, against a real PostgreSQL 15 (the server's address and the Secret's password are the only values replaced).
/// It creates a UTF8 database although template1 is not, and running it again changes nothing.
/// </summary>
public sealed class DatabaseJobTests
{
    [Theory]
    [InlineData("mas")]
    [InlineData("mas \"o'db")]
    public async Task TheJobCreatesAUtf8DatabaseOnceAndARerunFindsIt(string databaseName)
    {
        await using var postgres = await TemplateOneNotUtf8Async();
        var container = JobContainer(databaseName);
        var environment = container.Env.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value);
        environment["PGHOST"] = "127.0.0.1";
        environment["PGPORT"] = postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PGUSER"] = PostgresCluster.User;
        // What the kubelet puts in from secretKeyRef.
        Assert.NotNull(Assert.Single(container.Env, v => v.Name == "PGPASSWORD").ValueFrom.SecretKeyRef);
        environment["PGPASSWORD"] = postgres.Password!;

        // The script waits for the server itself (it may be called before postgres accepts connections).
        var first = await ExternalCommand.RunAsync(container.Command[0], environment, [.. container.Command.Skip(1)]);
        Assert.True(first.ExitCode == 0, $"the job failed: {first.Output}{first.Error}");
        Assert.Contains($"database {databaseName} created", first.Output, StringComparison.Ordinal);

        var second = await ExternalCommand.RunAsync(container.Command[0], environment, [.. container.Command.Skip(1)]);
        Assert.True(second.ExitCode == 0, $"the second run failed: {second.Output}{second.Error}");
        Assert.Contains($"database {databaseName} exists", second.Output, StringComparison.Ordinal);

        var encoding = await ExternalCommand.RunAsync("psql", environment, "-tAc",
            $"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = '{databaseName.Replace("'", "''", StringComparison.Ordinal)}'");
        Assert.Equal("UTF8", encoding.Output.Trim());
        var template1 = await ExternalCommand.RunAsync("psql", environment, "-tAc", "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'");
        Assert.Equal("SQL_ASCII", template1.Output.Trim());
    }

    [Fact]
    public async Task AWrongPasswordFailsTheJobSoKubernetesRetriesIt()
    {
        await using var postgres = await TemplateOneNotUtf8Async();
        var container = JobContainer("mas");
        var environment = container.Env.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value);
        environment["PGHOST"] = "127.0.0.1";
        environment["PGPORT"] = postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PGUSER"] = PostgresCluster.User;
        environment["PGPASSWORD"] = "not-the-password";

        var result = await ExternalCommand.RunAsync(container.Command[0], environment, [.. container.Command.Skip(1)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("created", result.Output, StringComparison.Ordinal);
    }

    // Password authentication, as in a cluster, and template1 in SQL_ASCII: a database created without
    // TEMPLATE template0 could then not be UTF8.
    private static async Task<PostgresCluster> TemplateOneNotUtf8Async()
    {
        var (cluster, skip) = await PostgresCluster.StartAsync(withPassword: true, encoding: "SQL_ASCII");
        Assert.SkipWhen(cluster is null, skip ?? "");
        return cluster!;
    }

    // The Job as the publisher builds it for MAS's database in a model with a PostgreSQL server.
    private static V1Container JobContainer(string databaseName)
    {
        var builder = DistributedApplication.CreateBuilder();
        var password = builder.AddParameter("postgres-password", "unused", secret: true);
        var server = builder.AddPostgres("postgres", password: password).WithKubernetesUser(SynapseDatabaseExtensions.PostgresImageUser);
        var database = server.AddDatabase(MasExtensions.DatabaseResourceName, databaseName);
        var job = KubernetesDatabaseJob.For(database.Resource, MasExtensions.CreationScript(databaseName),
            "postgres:17", "postgres", 5432, (KubernetesSecrets.StackSecret, "postgres_password"));
        return Assert.Single(job.Spec.Template.Spec.Containers);
    }
}
