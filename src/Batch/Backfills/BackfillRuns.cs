using Npgsql;
using Streams.Batch.Bookmarks;

namespace Streams.Batch.Backfills;

/// <summary>The <c>batch.runs</c> table: one row per backfill, RUNNING until it SUCCEEDED (in the swap's transaction) or FAILED.</summary>
internal static class BackfillRuns
{
    private const string Table = $"{BatchMigrations.Schema}.runs";

    public static async Task StartAsync(NpgsqlDataSource dataSource, Guid id, string pipeline, BackfillMode mode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO {Table} (id, pipeline, mode, status) VALUES ($1, $2, $3, 'RUNNING')");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = mode.ToString().ToUpperInvariant() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task SucceedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int files, long rows, long deadLetters,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Table} SET status = 'SUCCEEDED', finished_at = now(), files = $2, rows = $3, dead_letters = $4 WHERE id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = files });
        command.Parameters.Add(new NpgsqlParameter { Value = rows });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task FailAsync(NpgsqlDataSource dataSource, Guid id, string message)
    {
        // Not cancellable: a cancelled run still records that it failed.
        await using var command = dataSource.CreateCommand($"UPDATE {Table} SET status = 'FAILED', finished_at = now(), message = $2 WHERE id = $1 AND status = 'RUNNING'");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = message });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
