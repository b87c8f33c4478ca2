using Npgsql;
using Streams.Serving;

namespace Streams.Pipelines.Execution;

/// <summary>
/// The pipeline state in PostgreSQL (tables <c>serving.pipeline_state</c> and <c>serving.transform_state</c>,
/// created by <see cref="ServingMigrations"/>), under a state key: one key per driver (a pipeline, or a
/// pipeline and partition in the speed layer). Saved inside the caller's transaction, with the rows and
/// positions of the same batch.
/// </summary>
public static class PostgresPipelineState
{
    /// <summary>Saves <paramref name="changes"/> under <paramref name="stateKey"/> in the caller's <paramref name="transaction"/>.</summary>
    public static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string stateKey,
        PipelineStateChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var s = ServingMigrations.Schema;
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (changes.MaxEventTime is { } max)
        {
            batch.BatchCommands.Add(Command($"""
                INSERT INTO {s}.pipeline_state (state_key, max_event_time) VALUES ($1, $2)
                ON CONFLICT (state_key) DO UPDATE SET max_event_time = GREATEST({s}.pipeline_state.max_event_time, excluded.max_event_time), updated_at = now()
                """, stateKey, DateTime.SpecifyKind(max, DateTimeKind.Utc)));
        }

        foreach (var (transform, entries) in changes.AddedEntries)
        {
            batch.BatchCommands.Add(Command($"""
                INSERT INTO {s}.transform_state (state_key, transform, entry) SELECT $1, $2, e FROM unnest($3::text[]) AS u(e)
                ON CONFLICT DO NOTHING
                """, stateKey, transform, entries.ToArray()));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The state saved under <paramref name="stateKey"/> (positions are the caller's: they belong to its output).</summary>
    public static async Task<(DateTime? MaxEventTime, IReadOnlyDictionary<int, IReadOnlyList<string>> Entries)> LoadAsync(
        NpgsqlConnection connection, string stateKey, CancellationToken cancellationToken = default)
    {
        var s = ServingMigrations.Schema;
        DateTime? max = null;
        await using (var command = new NpgsqlCommand($"SELECT max_event_time FROM {s}.pipeline_state WHERE state_key = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = stateKey });
            if (await command.ExecuteScalarAsync(cancellationToken) is DateTime value)
            {
                max = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            }
        }

        var entries = new Dictionary<int, List<string>>();
        await using (var command = new NpgsqlCommand($"SELECT transform, entry FROM {s}.transform_state WHERE state_key = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = stateKey });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var transform = reader.GetInt32(0);
                if (!entries.TryGetValue(transform, out var list))
                {
                    entries[transform] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        return (max, entries.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
