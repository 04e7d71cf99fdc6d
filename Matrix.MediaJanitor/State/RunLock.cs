using Npgsql;

namespace Matrix.MediaJanitor.State;

/// <summary>
/// A session-level PostgreSQL advisory lock held for a whole run on its own connection. When the process dies
/// (even kill -9) the connection closes and PostgreSQL releases the lock, so a crash never blocks later runs.
/// </summary>
public sealed class RunLock : IAsyncDisposable
{
    /// <summary>The lock key: "MJanitor" in ASCII, documented so operators can see it in pg_locks.</summary>
    public const long Key = 0x4D4A616E69746F72;

    private readonly NpgsqlConnection _connection;

    private RunLock(NpgsqlConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Returns the held lock, or null when another run holds it.</summary>
    public static async Task<RunLock?> TryAcquireAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var c = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            c.Parameters.AddWithValue("key", Key);
            if ((bool)(await c.ExecuteScalarAsync(ct))!)
            {
                return new RunLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>True while the lock's connection still works (the lock is gone if the session was lost).</summary>
    public async Task<bool> IsHeldAsync(CancellationToken ct)
    {
        try
        {
            await using var c = new NpgsqlCommand("SELECT 1", _connection);
            await c.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var c = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            c.Parameters.AddWithValue("key", Key);
            await c.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Closing the session below releases it anyway.
        }
        await _connection.DisposeAsync();
    }
}
