using Npgsql;
using Streams.Serving;

namespace Streams.Pipelines.Execution;

/// <summary>
/// Dead letters in PostgreSQL (table <c>serving.dead_letters</c>, created by <see cref="ServingMigrations"/>):
/// pipeline, transform, reason, source position and the record as jsonb (<see cref="DeadLetterJson.Record"/>).
/// </summary>
public static class PostgresDeadLetterTable
{
    /// <summary>Inserts <paramref name="deadLetters"/> of <paramref name="pipeline"/> in the caller's <paramref name="transaction"/>.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string pipeline,
        IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (deadLetters.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO {ServingMigrations.Schema}.dead_letters (pipeline, transform, reason, source, partition, "offset", record)
            SELECT $1, t, r, s, p, o, j::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::text[]) AS u(t, r, s, p, o, j)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Transform).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Reason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Position?.Source).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Position?.Partition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Position?.Offset).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(DeadLetterJson.Record).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
