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
        await using var command = dataSource.CreateCommand($"""
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
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
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
}
