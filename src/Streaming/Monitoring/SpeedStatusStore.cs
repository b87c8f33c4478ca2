using Npgsql;
using Streams.Postgres;
using Streams.Serving;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Monitoring;

/// <summary>
/// The speed-layer pipelines PostgreSQL knows (<c>streaming.pipelines</c>: name, topic, serving output, recorded
/// when a pipeline starts), and their status computed from what is stored: positions in <c>serving.positions</c>
/// against the topic's high watermarks (lag), the dead-letter table's rows, the last commit. So
/// <c>streams status</c> works whichever process runs a pipeline, or when none does.
/// </summary>
public static class SpeedStatusStore
{
    /// <summary>The schema of the speed layer's own tables.</summary>
    public const string Schema = "streaming";

    private static readonly MigrationSet Migrations = new(Schema,
    [
        $"""
        CREATE TABLE {Schema}.pipelines (
            name text PRIMARY KEY,
            topic text NOT NULL,
            output text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now());
        """,
        // The spec the pipeline started with, so the console can show and draw a pipeline any process runs.
        $"ALTER TABLE {Schema}.pipelines ADD COLUMN spec text, ADD COLUMN schema_file text;",
        // What each running process measures and only it can (freshness, records/s), so every reader sees it.
        $"""
        CREATE TABLE {Schema}.processes (
            pipeline text NOT NULL,
            process text NOT NULL,
            records_per_second double precision NOT NULL,
            freshness_p50 double precision,
            freshness_p99 double precision,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (pipeline, process));
        """,
    ]);

    /// <summary>How long a process's report counts: a few of its reporting intervals, so one that stopped without saying so drops out.</summary>
    public static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Records that <paramref name="pipeline"/> streams <paramref name="topic"/> into <paramref name="output"/> (applying the schema first),
    /// with the <paramref name="spec"/> text it runs and the <paramref name="schemaFile"/> (a full path) its reader schema came from, when known.
    /// </summary>
    public static async Task RecordAsync(NpgsqlDataSource dataSource, string pipeline, string topic, string output, string? spec = null,
        string? schemaFile = null, CancellationToken cancellationToken = default)
    {
        await MigrationRunner.ApplyAsync(dataSource, Migrations, cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Schema}.pipelines (name, topic, output, spec, schema_file) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO UPDATE SET topic = excluded.topic, output = excluded.output, spec = excluded.spec,
                schema_file = excluded.schema_file, started_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        command.Parameters.Add(new NpgsqlParameter { Value = output });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)spec ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)schemaFile ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores what <paramref name="process"/> measures of <paramref name="pipeline"/> now (freshness in seconds), replacing its last report.</summary>
    public static async Task ReportAsync(NpgsqlDataSource dataSource, string pipeline, string process, double recordsPerSecond, double? freshnessP50,
        double? freshnessP99, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Schema}.processes (pipeline, process, records_per_second, freshness_p50, freshness_p99) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (pipeline, process) DO UPDATE SET records_per_second = excluded.records_per_second,
                freshness_p50 = excluded.freshness_p50, freshness_p99 = excluded.freshness_p99, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = process });
        command.Parameters.Add(new NpgsqlParameter { Value = recordsPerSecond });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)freshnessP50 ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)freshnessP99 ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes <paramref name="process"/>'s report of <paramref name="pipeline"/> (it stopped running it).</summary>
    public static async Task RemoveReportAsync(NpgsqlDataSource dataSource, string pipeline, string process, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {Schema}.processes WHERE pipeline = $1 AND process = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = process });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What the processes running each pipeline reported within <see cref="ReportLifetime"/>: records/s summed over them, and the
    /// worst process's freshness p50 and p99 (quantiles of separate processes do not combine into one).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ReportedMeasures>> ReportedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        var reported = new Dictionary<string, ReportedMeasures>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand($"""
            SELECT pipeline, count(*)::int, sum(records_per_second), max(freshness_p50), max(freshness_p99)
            FROM {Schema}.processes WHERE updated_at > now() - $1::interval GROUP BY pipeline
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ReportLifetime });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reported[reader.GetString(0)] = new ReportedMeasures(reader.GetInt32(1), reader.GetDouble(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetDouble(4));
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No pipeline has reported against this database (or it was made by a build without reports).
        }

        return reported;
    }

    /// <summary>The recorded pipelines, or <paramref name="pipeline"/> only, by name; none when no pipeline has ever started against this database.</summary>
    public static async Task<IReadOnlyList<RecordedPipeline>> ListAsync(NpgsqlDataSource dataSource, string? pipeline = null,
        CancellationToken cancellationToken = default)
    {
        var recorded = new List<RecordedPipeline>();
        await using var command = dataSource.CreateCommand(
            $"SELECT * FROM {Schema}.pipelines WHERE $1::text IS NULL OR name = $1 ORDER BY name COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)pipeline ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // By name: a database still on the first migration step (a host not yet upgraded) has no spec columns.
            var spec = Ordinal(reader, "spec");
            var schemaFile = Ordinal(reader, "schema_file");
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add(new RecordedPipeline(reader.GetString(reader.GetOrdinal("name")), reader.GetString(reader.GetOrdinal("topic")),
                    reader.GetString(reader.GetOrdinal("output")), Text(spec), Text(schemaFile),
                    DateTime.SpecifyKind(reader.GetDateTime(reader.GetOrdinal("started_at")), DateTimeKind.Utc)));
            }

            string? Text(int? ordinal) => ordinal is { } o && !reader.IsDBNull(o) ? reader.GetString(o) : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No pipeline has ever started against this database.
        }

        return recorded;

        static int? Ordinal(NpgsqlDataReader reader, string column) =>
            Enumerable.Range(0, reader.FieldCount).Select(i => (int?)i).FirstOrDefault(i => reader.GetName(i!.Value) == column);
    }

    /// <summary>
    /// The status of every recorded pipeline, or of <paramref name="pipeline"/> only; partitions come from
    /// <paramref name="topics"/> and lag from <paramref name="watermarks"/> (both optional: without them only stored partitions show, lag unknown).
    /// </summary>
    public static async Task<IReadOnlyList<StoredPipelineStatus>> ReadAsync(NpgsqlDataSource dataSource, string? pipeline, TopicManager? topics,
        TopicWatermarks? watermarks, CancellationToken cancellationToken = default)
    {
        var recorded = (await ListAsync(dataSource, pipeline, cancellationToken)).Select(p => (p.Name, p.Topic, p.Output)).ToList();
        var reported = await ReportedAsync(dataSource, cancellationToken);

        IReadOnlyList<TopicListing>? listed = null;
        string? brokerError = null;
        if (topics is not null)
        {
            try
            {
                listed = topics.List();
            }
            catch (TopicException e)
            {
                brokerError = e.Message;
            }
        }

        var statuses = new List<StoredPipelineStatus>();
        foreach (var (name, topic, output) in recorded)
        {
            var stored = await PositionsAsync(dataSource, output, topic, cancellationToken);
            var count = listed?.FirstOrDefault(t => t.Name == topic)?.Partitions;
            var partitionIds = Enumerable.Range(0, count ?? 0).Union(stored.Keys).Order().ToList();
            var offsets = brokerError is null && watermarks is not null ? watermarks.Query(topic, partitionIds) : new Dictionary<int, (long, long)>();
            var partitions = partitionIds.Select(p =>
            {
                var (next, at) = stored.TryGetValue(p, out var s) ? s : ((long?)null, (DateTime?)null);
                return offsets.TryGetValue(p, out var o)
                    ? new PartitionStatus(p, next, o.Low, o.High, 0, at)
                    : new PartitionStatus(p, next, null, null, 0, at);
            }).ToList();
            statuses.Add(new StoredPipelineStatus(name, topic, output, await DeadLetterCountAsync(dataSource, name, cancellationToken), partitions,
                brokerError ?? (listed is not null && count is null ? $"topic '{topic}' does not exist on the broker" : null))
            {
                Reported = reported.GetValueOrDefault(name),
            });
        }

        return statuses;
    }

    private static async Task<Dictionary<int, (long?, DateTime?)>> PositionsAsync(NpgsqlDataSource dataSource, string output, string topic,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT partition, \"offset\", updated_at FROM {ServingMigrations.Schema}.positions WHERE output = $1 AND source = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = output });
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        var positions = new Dictionary<int, (long?, DateTime?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            positions[reader.GetInt32(0)] = (reader.GetInt64(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
        }

        return positions;
    }

    private static async Task<long> DeadLetterCountAsync(NpgsqlDataSource dataSource, string pipeline, CancellationToken cancellationToken)
    {
        var table = new KafkaDeadLetterTable(pipeline);
        await using var exists = dataSource.CreateCommand($"SELECT to_regclass($1) IS NOT NULL");
        exists.Parameters.Add(new NpgsqlParameter { Value = table.QualifiedName });
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {table.QualifiedName}");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
