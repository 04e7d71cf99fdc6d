namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>One PostgreSQL cluster and one s3rver shared by the janitor tests; each test gets its own database and bucket.</summary>
public sealed class JanitorServers : IAsyncLifetime
{
    private string? _skipReason;

    public PostgresCluster? Postgres { get; private set; }

    public S3rverProcess? S3 { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var (postgres, pgSkip) = await PostgresCluster.StartAsync();
        Postgres = postgres;
        var (s3, s3Skip) = await S3rverProcess.StartAsync();
        S3 = s3;
        _skipReason = pgSkip ?? s3Skip;
    }

    /// <summary>Skips the calling test, saying why, when a server cannot run here.</summary>
    public void Require() => Assert.SkipWhen(_skipReason is not null, _skipReason ?? "");

    public async ValueTask DisposeAsync()
    {
        if (S3 is not null) await S3.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class JanitorCollection : ICollectionFixture<JanitorServers>
{
    public const string Name = "MediaJanitor";
}
