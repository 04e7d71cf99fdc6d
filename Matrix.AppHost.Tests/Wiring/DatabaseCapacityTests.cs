using Matrix.AppHost.Configuration;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.AppHost.Tests.Model;
using Matrix.Stack.Validation;
using Matrix.Stack.Wiring;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Npgsql;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// PostgreSQL is started with room for every pool the layout opens: a real PostgreSQL given the arguments the model
/// declares for the stack's database accepts, at once, every connection the Synapse processes, MAS and the janitor may
/// hold. An external server too small for the layout is refused, naming the setting.
/// </summary>
public sealed class DatabaseCapacityTests
{
    [Theory]
    [InlineData("specialized")]
    [InlineData("one-of-each")]
    public async Task ThePostgresTheModelStartsAcceptsEveryPoolOfTheLayoutAtOnce(string preset)
    {
        await using var builder = await AppHostFactory.CreateAsync(preset,
            "--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.example.org/");
        var stack = MatrixStackConfiguration.Build(new StackSelection(preset,
            [new("mas.enabled", "true"), new("mas.publicBaseUrl", "https://auth.example.org/")]));
        var capacity = DatabaseCapacity.Of(stack.Options);
        var arguments = await builder.Get<PostgresServerResource>(stack.Options.Database.Host).ArgumentsAsync();
        // More than PostgreSQL's default of 100, which these layouts outgrow.
        Assert.True(capacity.Required > DatabaseCapacity.PostgresDefault, $"{preset} needs {capacity.Required}");

        // The image's default first, then what the model declares, as the image's entrypoint passes them to postgres.
        var (cluster, skip) = await PostgresCluster.StartAsync(serverArguments: ["-c", $"max_connections={DatabaseCapacity.PostgresDefault}", .. arguments]);
        Assert.SkipWhen(cluster is null, skip ?? "");
        await using (cluster)
        {
            var everyPool = capacity.Users.Sum(u => u.Connections);
            var connections = new List<NpgsqlConnection>();
            try
            {
                for (var i = 0; i < everyPool; i++)
                {
                    var connection = new NpgsqlConnection(cluster!.ConnectionString("postgres") + ";Pooling=false");
                    connections.Add(connection);
                    await connection.OpenAsync(TestContext.Current.CancellationToken);
                }
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    [Fact]
    public void AnExternalServerTooSmallForTheLayoutIsRefusedNamingTheSetting()
    {
        var problem = Assert.Throws<StackValidationException>(() =>
            MatrixStackConfiguration.Build(new StackSelection("specialized", [new("database.maxConnections", "100")])));
        Assert.Contains("database.maxConnections", problem.Message);
        Assert.Contains("database.poolMax", problem.Message);
    }
}
