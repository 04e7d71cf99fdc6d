using Npgsql;

namespace Matrix.MediaJanitor.Database;

/// <summary>Reads a query's rows, one value each, for the catalog of Synapse's tables and the janitor's own state.</summary>
public static class CommandRows
{
    /// <summary>Every row of <paramref name="command"/>, mapped by <paramref name="read"/>; the reader is closed before it returns.</summary>
    public static async Task<List<T>> ReadRowsAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
