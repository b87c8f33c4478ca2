using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Api.Glue;
using Streams.Catalog.Model;
using Streams.Catalog.Postgres;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Streaming.Kafka;

namespace Streams.Api.Console;

/// <summary>
/// The pipelines the console shows, read from what the host has: the serving layer (views, committed positions, the
/// dead letters of both layers) and, where the Glue API serves jobs, the pipeline specs the jobs name as their script
/// locations. Each streaming pipeline's dead letters are in <c>serving.&lt;pipeline&gt;_dead_letters</c>; a view no
/// known pipeline claims is listed under its own name.
/// </summary>
internal sealed class PipelineDirectory(string connectionString, GlueOperationTable glue, IServiceProvider services)
{
    private const string S = ServingMigrations.Schema;
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(() => NpgsqlDataSource.Create(connectionString));

    /// <summary>True when a PostgreSQL connection string is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(connectionString);

    public async Task<IReadOnlyList<PipelineSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var dataSource = _dataSource.Value;
        await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
        var views = await new ServingStore(dataSource).ListViewsAsync(cancellationToken);
        var positions = await PositionsAsync(dataSource, cancellationToken);
        var streamingLetters = await StreamingDeadLetterTablesAsync(dataSource, cancellationToken);
        var batchLetters = await BatchDeadLettersAsync(dataSource, cancellationToken);

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        Entry EntryOf(string name) => entries.TryGetValue(name, out var e) ? e : entries[name] = new Entry(name);
        foreach (var job in await JobSpecsAsync(cancellationToken))
        {
            var entry = EntryOf(job.Spec?.Name ?? job.Job);
            entry.Job = job.Job;
            entry.SpecLocation = job.Location;
            entry.SpecError = job.Error;
            entry.SpecText = job.Text;
            if (job.Spec is { } spec)
            {
                entry.Flow = PipelineFlow.Of(spec);
                entry.Views.UnionWith(spec.Sinks.Select(s => s.Serving).OfType<string>());
                if (spec.Source.Kafka is { } kafka)
                {
                    entry.Topics.Add(kafka.Topic);
                }
            }
        }

        foreach (var (pipeline, (count, topics)) in streamingLetters)
        {
            var entry = EntryOf(pipeline);
            entry.DeadLetters += count;
            entry.Topics.UnionWith(topics);
        }

        foreach (var (pipeline, count) in batchLetters)
        {
            EntryOf(pipeline).DeadLetters += count;
        }

        // A pipeline without a known spec claims the views fed from its topics, and the view of its own name.
        foreach (var entry in entries.Values.Where(e => e.Flow.Count == 0))
        {
            entry.Views.UnionWith(positions.Where(p => entry.Topics.Contains(p.Source)).Select(p => p.Output));
            if (views.Any(v => v.Name == entry.Name))
            {
                entry.Views.Add(entry.Name);
            }
        }

        var claimed = entries.Values.SelectMany(e => e.Views).ToHashSet(StringComparer.Ordinal);
        foreach (var view in views.Where(v => !claimed.Contains(v.Name)))
        {
            EntryOf(view.Name).Views.Add(view.Name);
        }

        var summaries = new List<PipelineSummary>();
        foreach (var e in entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var own = positions.Where(p => e.Views.Contains(p.Output) && (e.Topics.Count == 0 || e.Topics.Contains(p.Source))).ToList();
            summaries.Add(new PipelineSummary(e.Name, views.Where(v => e.Views.Contains(v.Name)).ToList(), e.DeadLetters,
                own.Sum(p => p.Offset), own.Count == 0 ? null : own.Max(p => p.UpdatedAt), await LagAsync(e.Topics, own, cancellationToken),
                e.Job, e.SpecLocation, e.SpecError, e.SpecText, e.Flow));
        }

        return summaries;
    }

    /// <summary>The dead letters of <paramref name="pipeline"/>, newest first, of <paramref name="reason"/> when given.</summary>
    public async Task<DeadLetterPage> DeadLettersAsync(string pipeline, string? reason, int limit, CancellationToken cancellationToken)
    {
        var dataSource = _dataSource.Value;
        await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
        var table = $"{S}.{PostgresTypeMap.Quote(pipeline + "_dead_letters")}";
        var streaming = await ScalarAsync<bool>(dataSource, $"SELECT to_regclass('{S}.\"{pipeline}_dead_letters\"') IS NOT NULL", cancellationToken);
        var union = (streaming
            ? $"""
               SELECT topic || '/' || partition || '/' || "offset" AS id, topic AS source, partition, "offset", stage, reason,
                      coalesce(record::text, 'value (hex): ' || encode(value, 'hex')) AS record, dead_at AS created_at
               FROM {table}
               UNION ALL
               """ + "\n"
            : "") + $"""
               SELECT 'b' || id AS id, source, partition, "offset", transform AS stage, reason, record::text AS record, created_at
               FROM {S}.dead_letters WHERE pipeline = $1
               """;

        var reasons = new List<DeadLetterReason>();
        await using (var command = dataSource.CreateCommand($"SELECT reason, count(*) FROM ({union}) d GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 100"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reasons.Add(new DeadLetterReason(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        var letters = new List<DeadLetterEntry>();
        await using (var command = dataSource.CreateCommand(
                         $"SELECT * FROM ({union}) d WHERE $2::text IS NULL OR reason = $2 ORDER BY created_at DESC, id LIMIT $3"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                letters.Add(new DeadLetterEntry(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetDateTime(7)));
            }
        }

        return new DeadLetterPage(reasons, reasons.Sum(r => r.Count), letters);
    }

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;
        public HashSet<string> Views { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);
        public long DeadLetters { get; set; }
        public string? Job { get; set; }
        public string? SpecLocation { get; set; }
        public string? SpecError { get; set; }
        public string? SpecText { get; set; }
        public IReadOnlyList<FlowNode> Flow { get; set; } = [];
    }

    private sealed record Position(string Output, string Source, int Partition, long Offset, DateTime UpdatedAt);

    /// <summary>
    /// Records on the pipeline's topics not yet committed: each partition's high watermark less the next offset its
    /// views committed (the oldest offset where none did). Null when the broker cannot be asked.
    /// </summary>
    private async Task<long?> LagAsync(HashSet<string> topics, List<Position> positions, CancellationToken cancellationToken)
    {
        if (topics.Count == 0)
        {
            return null;
        }

        try
        {
            var manager = services.GetService<TopicManager>();
            if (manager is null)
            {
                return null;
            }

            long lag = 0;
            foreach (var topic in topics)
            {
                foreach (var partition in (await manager.DescribeAsync(topic, cancellationToken: cancellationToken)).Partitions)
                {
                    var next = positions.Where(p => p.Source == topic && p.Partition == partition.Id).Select(p => (long?)p.Offset).Max() ?? partition.Low;
                    lag += Math.Max(0, partition.High - next);
                }
            }

            return lag;
        }
        catch (Exception e) when (e is TopicException or ArgumentException)
        {
            return null; // Kafka not configured, or the broker not reachable: the rest of the page still shows.
        }
    }

    private sealed record JobSpec(string Job, string? Location, PipelineSpec? Spec, string? Text, string? Error);

    private static async Task<List<Position>> PositionsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var list = new List<Position>();
        await using var command = dataSource.CreateCommand(
            $"SELECT output, source, partition, \"offset\", updated_at FROM {S}.positions");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Position(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetDateTime(4)));
        }

        return list;
    }

    /// <summary>Each streaming pipeline's dead-letter table (recognised by its topic and stage columns): its count and topics.</summary>
    private static async Task<Dictionary<string, (long Count, List<string> Topics)>> StreamingDeadLetterTablesAsync(
        NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT t.table_name FROM information_schema.tables t
            WHERE t.table_schema = '{S}' AND t.table_type = 'BASE TABLE' AND t.table_name LIKE '%\_dead\_letters'
              AND EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'topic')
              AND EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'stage')
            ORDER BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new Dictionary<string, (long, List<string>)>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var topics = new List<string>();
            long count = 0;
            await using var command = dataSource.CreateCommand(
                $"SELECT topic, count(*) FROM {S}.{PostgresTypeMap.Quote(table)} GROUP BY topic");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                topics.Add(reader.GetString(0));
                count += reader.GetInt64(1);
            }

            result[table[..^"_dead_letters".Length]] = (count, topics);
        }

        return result;
    }

    private static async Task<Dictionary<string, long>> BatchDeadLettersAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand($"SELECT pipeline, count(*) FROM {S}.dead_letters GROUP BY pipeline");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>The specs of the jobs the Glue API serves (Glue's GetJobs shape: <c>Jobs[].Command.ScriptLocation</c>); none without jobs.</summary>
    private async Task<List<JobSpec>> JobSpecsAsync(CancellationToken cancellationToken)
    {
        var specs = new List<JobSpec>();
        if (!glue.TryGet("GetJobs", out var getJobs))
        {
            return specs;
        }

        string? token = null;
        do
        {
            var body = JsonSerializer.SerializeToElement(token is null ? new Dictionary<string, string>() : new() { ["NextToken"] = token });
            var page = JsonSerializer.SerializeToElement(await getJobs(new GlueRequest("GetJobs", body), cancellationToken), CatalogJson.Options);
            token = page.TryGetProperty("NextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (!page.TryGetProperty("Jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
            {
                break;
            }

            foreach (var job in jobs.EnumerateArray())
            {
                var name = job.GetProperty("Name").GetString()!;
                var location = job.TryGetProperty("Command", out var command) && command.TryGetProperty("ScriptLocation", out var script)
                    ? script.GetString()
                    : null;
                specs.Add(await ReadSpecAsync(name, location, cancellationToken));
            }
        }
        while (!string.IsNullOrEmpty(token));

        return specs;
    }

    private static async Task<JobSpec> ReadSpecAsync(string job, string? location, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(location))
        {
            return new JobSpec(job, null, null, null, $"Job {job} names no script location.");
        }

        if (location.Contains("://", StringComparison.Ordinal) && !location.StartsWith("file://", StringComparison.Ordinal))
        {
            return new JobSpec(job, location, null, null, $"The console reads local specs only; {location} is not one.");
        }

        var path = location.StartsWith("file://", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            return new JobSpec(job, location, PipelineSpecLoader.Parse(text, path), text, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PipelineSpecException)
        {
            return new JobSpec(job, location, null, null, $"The spec at {location} could not be read: {e.Message}");
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
