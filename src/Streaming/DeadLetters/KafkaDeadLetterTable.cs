using Npgsql;
using NpgsqlTypes;
using Streams.Catalog.Postgres;
using Streams.Serving;

namespace Streams.Streaming.DeadLetters;

/// <summary>
/// A streaming pipeline's dead letters in PostgreSQL: <c>serving.&lt;pipeline&gt;_dead_letters</c>, one row per
/// rejected record with its topic, partition, offset, Kafka timestamp, schema id, stage, reason, the raw key and
/// value bytes, and (for transform failures) the record as JSON. Keyed by position, so a record is there once.
/// Written in the transaction that commits the micro-batch's rows and positions.
/// </summary>
public sealed class KafkaDeadLetterTable
{
    /// <summary>The table of <paramref name="pipeline"/>.</summary>
    public KafkaDeadLetterTable(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        Pipeline = pipeline;
        Name = pipeline + "_dead_letters";
        QualifiedName = $"{ServingMigrations.Schema}.{PostgresTypeMap.Quote(Name)}";
    }

    /// <summary>The pipeline.</summary>
    public string Pipeline { get; }

    /// <summary>The table name in the serving schema.</summary>
    public string Name { get; }

    /// <summary>The schema-qualified, quoted name.</summary>
    public string QualifiedName { get; }

    /// <summary>Creates the table unless it exists.</summary>
    public async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        // CREATE TABLE IF NOT EXISTS is not safe against itself: two processes of one pipeline starting together can
        // both find the table missing, and one fails on the type catalog's unique index. The lock orders them.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "serving-dead-letters:" + QualifiedName });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS {QualifiedName} (
                topic text NOT NULL,
                partition integer NOT NULL,
                "offset" bigint NOT NULL,
                "timestamp" timestamptz NOT NULL,
                schema_id integer,
                stage text NOT NULL,
                reason text NOT NULL,
                key bytea,
                value bytea,
                record jsonb,
                dead_at timestamptz NOT NULL DEFAULT now(),
                replayed_at timestamptz,
                PRIMARY KEY (topic, partition, "offset"))
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Inserts <paramref name="deadLetters"/> in the caller's <paramref name="transaction"/>; a position already there is left as it is.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(KafkaDeadLetter Dead, string? RecordJson)> deadLetters,
        CancellationToken cancellationToken = default)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO {QualifiedName} (topic, partition, "offset", "timestamp", schema_id, stage, reason, key, value, record)
            SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::timestamptz[], $5::integer[], $6::text[], $7::text[], $8::bytea[], $9::bytea[], $10::jsonb[])
            ON CONFLICT (topic, partition, "offset") DO NOTHING
            """, connection, transaction);
        Add(deadLetters.Select(d => d.Dead.Record.Topic).ToArray());
        Add(deadLetters.Select(d => d.Dead.Record.Partition).ToArray());
        Add(deadLetters.Select(d => d.Dead.Record.Offset).ToArray());
        Add(deadLetters.Select(d => d.Dead.Record.Timestamp).ToArray());
        Add(deadLetters.Select(d => d.Dead.SchemaId).ToArray());
        Add(deadLetters.Select(d => d.Dead.Stage).ToArray());
        Add(deadLetters.Select(d => d.Dead.Reason).ToArray());
        Add(deadLetters.Select(d => d.Dead.Record.Key).ToArray());
        Add(deadLetters.Select(d => d.Dead.Record.Value).ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.RecordJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);

        void Add<T>(T[] values) => command.Parameters.Add(new NpgsqlParameter { Value = values });
    }

    /// <summary>The dead letters <paramref name="query"/> selects, in (topic, partition, offset) order; none when the table does not exist.</summary>
    public async Task<IReadOnlyList<StoredDeadLetter>> ListAsync(NpgsqlDataSource dataSource, DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await SelectAsync(connection, null, query, forUpdate: false, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    /// <summary>How many dead letters give each reason, most first; none when the table does not exist.</summary>
    public async Task<IReadOnlyList<(string Reason, long Count)>> CountByReasonAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        var counts = new List<(string, long)>();
        await using var command = dataSource.CreateCommand($"SELECT reason, count(*) FROM {QualifiedName} GROUP BY reason ORDER BY count(*) DESC, reason");
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No record of this pipeline was ever dead-lettered by the speed layer.
        }

        return counts;
    }

    /// <summary>
    /// Selects dead letters inside <paramref name="transaction"/>; with <paramref name="forUpdate"/> they are locked
    /// (rows another transaction holds are skipped), so two replays never apply one record twice.
    /// </summary>
    internal async Task<IReadOnlyList<StoredDeadLetter>> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DeadLetterQuery query,
        bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT topic, partition, "offset", "timestamp", key, value, schema_id, stage, reason, dead_at, replayed_at, record::text FROM {QualifiedName}
            WHERE $1::text IS NULL OR strpos(lower(reason), lower($1)) > 0 OR strpos(lower(stage), lower($1)) > 0
            ORDER BY topic, partition, "offset" LIMIT $2 {(forUpdate ? "FOR UPDATE SKIP LOCKED" : "")}
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Limit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        var rows = new List<StoredDeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = new MicroBatches.KafkaRecord(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), Utc(reader.GetDateTime(3)),
                reader.IsDBNull(4) ? null : (byte[])reader[4], reader.IsDBNull(5) ? null : (byte[])reader[5]);
            rows.Add(new StoredDeadLetter(record, reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetString(7), reader.GetString(8),
                Utc(reader.GetDateTime(9)), reader.IsDBNull(10) ? null : Utc(reader.GetDateTime(10)), reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return rows;

        static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    /// <summary>Removes the rows at <paramref name="positions"/> (replayed into the pipeline's output) in the caller's transaction.</summary>
    internal async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<MicroBatches.KafkaRecord> positions,
        CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            DELETE FROM {QualifiedName} d USING unnest($1::text[], $2::integer[], $3::bigint[]) AS u(topic, partition, "offset")
            WHERE d.topic = u.topic AND d.partition = u.partition AND d."offset" = u."offset"
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Partition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = positions.Select(p => p.Offset).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records that a replay found <paramref name="deadLetters"/> still dead: their new stage, reason and record, and the time.</summary>
    internal async Task UpdateStillDeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(KafkaDeadLetter Dead, string? RecordJson)> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            UPDATE {QualifiedName} d SET stage = u.stage, reason = u.reason, record = u.record, schema_id = u.schema_id, replayed_at = now()
            FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[], $7::integer[]) AS u(topic, partition, "offset", stage, reason, record, schema_id)
            WHERE d.topic = u.topic AND d.partition = u.partition AND d."offset" = u."offset"
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.Record.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.Record.Partition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.Record.Offset).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.Stage).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.Reason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.RecordJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetters.Select(d => d.Dead.SchemaId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
