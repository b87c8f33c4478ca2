using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Api.Glue;
using Streams.Catalog.Model;
using Streams.Jobs.Runs;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;

namespace Streams.Api.Console;

/// <summary>
/// The pipelines the console shows, read from what the host has: the speed-layer pipelines PostgreSQL records at their
/// start (<see cref="SpeedStatusStore"/>: topic, output and spec, whichever process runs them), the serving layer (views,
/// committed positions, the dead letters of both layers) and, where the Glue API serves jobs, the pipeline specs the jobs
/// name as their script locations. A streaming pipeline's dead letters are read through its <see cref="KafkaDeadLetterTable"/>
/// (as <c>streams dead-letters</c> reads them) and replayed through <see cref="DeadLetterReplay"/>; the batch layer's are
/// in <c>serving.dead_letters</c>. A view no known pipeline claims is listed under its own name.
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
        var batchLetters = await BatchDeadLetterCountsAsync(dataSource, cancellationToken);

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        Entry EntryOf(string name) => entries.TryGetValue(name, out var e) ? e : entries[name] = new Entry(name);
        foreach (var job in await JobSpecsAsync(cancellationToken))
        {
            var entry = EntryOf(job.Spec?.Name ?? job.Job);
            entry.Job = job.Job;
            entry.SpecLocation = job.Location;
            entry.SpecError = job.Error;
            if (job.Spec is { } spec)
            {
                entry.Use(spec, "job");
            }
        }

        // The pipelines the speed layer started, by this host or any other (streams stream): their spec as they started with it,
        // unless a job names one.
        foreach (var recorded in await SpeedStatusStore.ListAsync(dataSource, cancellationToken: cancellationToken))
        {
            var entry = EntryOf(recorded.Name);
            entry.Streaming = true;
            entry.Topics.Add(recorded.Topic);
            entry.Views.Add(recorded.Output);
            if (entry.Flow.Count == 0 && recorded.Spec is { } text)
            {
                try
                {
                    entry.Use(PipelineSpecLoader.Parse(text, $"the spec {recorded.Name} started with"), "speed layer");
                    entry.SpecError = null;
                }
                catch (PipelineSpecException e)
                {
                    entry.SpecError = e.Message;
                }
            }
        }

        foreach (var entry in entries.Values.Where(e => e.Streaming || e.Topics.Count > 0))
        {
            entry.DeadLetters += (await new KafkaDeadLetterTable(entry.Name).CountByReasonAsync(dataSource, cancellationToken)).Sum(r => r.Count);
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

        var reported = await SpeedStatusStore.ReportedAsync(dataSource, cancellationToken);
        var summaries = new List<PipelineSummary>();
        foreach (var e in entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var measures = reported.GetValueOrDefault(e.Name);
            var own = positions.Where(p => e.Views.Contains(p.Output) && (e.Topics.Count == 0 || e.Topics.Contains(p.Source))).ToList();
            summaries.Add(new PipelineSummary(e.Name, views.Where(v => e.Views.Contains(v.Name)).ToList(), e.DeadLetters,
                own.Sum(p => p.Offset), own.Count == 0 ? null : own.Max(p => p.UpdatedAt), await LagAsync(e.Topics, own, cancellationToken),
                e.Job, e.SpecLocation, e.SpecError, e.SpecText, e.Flow)
            {
                SpecFrom = e.SpecFrom,
                RecordsPerSecond = measures?.RecordsPerSecond,
                FreshnessP50Ms = measures?.FreshnessP50 * 1000,
                FreshnessP99Ms = measures?.FreshnessP99 * 1000,
            });
        }

        return summaries;
    }

    /// <summary>
    /// The dead letters of <paramref name="pipeline"/> in both layers, each reason with its count, and the letters whose reason or
    /// stage contains <paramref name="reason"/> (all when null; case-insensitive, as <c>streams dead-letters --reason</c> selects them):
    /// the speed layer's in position order, then the batch layer's.
    /// </summary>
    public async Task<DeadLetterPage> DeadLettersAsync(string pipeline, string? reason, int limit, CancellationToken cancellationToken)
    {
        var dataSource = _dataSource.Value;
        await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
        var table = new KafkaDeadLetterTable(pipeline);
        var reasons = (await table.CountByReasonAsync(dataSource, cancellationToken))
            .Concat(await BatchReasonsAsync(dataSource, pipeline, cancellationToken))
            .GroupBy(r => r.Reason, StringComparer.Ordinal)
            .Select(g => new DeadLetterReason(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        var all = reasons.Sum(r => r.Count);

        var letters = (await table.ListAsync(dataSource, new DeadLetterQuery(limit, reason), cancellationToken)).Select(d => new DeadLetterEntry(
            $"{d.Record.Topic}/{d.Record.Partition}/{d.Record.Offset}", d.Record.Topic, d.Record.Partition, d.Record.Offset, d.Stage, d.Reason,
            d.RecordJson ?? (d.Record.Value is { } value ? "value (hex): " + Convert.ToHexStringLower(value) : null), d.DeadAt)).ToList();
        if (letters.Count < limit)
        {
            letters.AddRange(await BatchLettersAsync(dataSource, pipeline, reason, limit - letters.Count, cancellationToken));
        }

        // Reasons carry details (a late record's event time), so there can be as many as letters: the commonest 100 are offered.
        return new DeadLetterPage([.. reasons.Take(100)], all, letters);
    }

    /// <summary>
    /// Replays the speed-layer dead letters of <paramref name="pipeline"/> whose reason or stage contains <paramref name="reason"/>
    /// (all when null) through <see cref="DeadLetterReplay"/>, with the spec a job names or else the one the speed layer started with.
    /// </summary>
    /// <exception cref="ConsoleRequestException">No spec of the pipeline is known, or this host has no schema registry client for it.</exception>
    /// <exception cref="PipelineSpecException">The spec is not a speed-layer pipeline.</exception>
    public async Task<DeadLetterReplayOutcome> ReplayAsync(string pipeline, string? reason, CancellationToken cancellationToken)
    {
        var dataSource = _dataSource.Value;
        var spec = (await JobSpecsAsync(cancellationToken)).Select(j => j.Spec).FirstOrDefault(s => s?.Name == pipeline && s.Source.Kafka is not null);
        if (spec is null && (await SpeedStatusStore.ListAsync(dataSource, pipeline, cancellationToken)).SingleOrDefault() is { Spec: { } text } recorded)
        {
            spec = PipelineSpecLoader.Parse(text, $"the spec {pipeline} started with");
            if (recorded.SchemaFile is { } schemaFile)
            {
                spec = spec with { Source = spec.Source with { SchemaFile = schemaFile } };
            }
        }

        if (spec is null)
        {
            throw new ConsoleRequestException(409,
                $"No spec of pipeline {pipeline} is known to this host (no job names it, and the speed layer recorded none): " +
                $"replay with streams dead-letters <spec file> --replay.");
        }

        var environment = services.GetService<JobEnvironment>();
        if (environment?.Streaming is not { } streaming)
        {
            throw new ConsoleRequestException(503, "Replaying needs the host's Kafka and schema registry: set Streams:Kafka:BootstrapServers.");
        }

        var result = await DeadLetterReplay.RunAsync(spec, dataSource, streaming.Registry(), new DeadLetterQuery(Reason: reason), streaming.Archive,
            environment.Catalog, cancellationToken);
        return new DeadLetterReplayOutcome(result.Selected, result.Replayed, result.Rows,
            [.. result.StillDead.GroupBy(d => d.Reason, StringComparer.Ordinal).Select(g => new DeadLetterReason(g.Key, g.LongCount()))
                .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)]);
    }

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;
        public HashSet<string> Views { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);
        public long DeadLetters { get; set; }
        public bool Streaming { get; set; }
        public string? Job { get; set; }
        public string? SpecLocation { get; set; }
        public string? SpecError { get; set; }
        public string? SpecText { get; private set; }
        public string? SpecFrom { get; private set; }
        public IReadOnlyList<FlowNode> Flow { get; private set; } = [];

        public void Use(PipelineSpec spec, string from)
        {
            SpecText = spec.Text;
            SpecFrom = from;
            Flow = PipelineFlow.Of(spec);
            Views.UnionWith(spec.Sinks.Select(s => s.Serving).OfType<string>());
            if (spec.Source.Kafka is { } kafka)
            {
                Topics.Add(kafka.Topic);
            }
        }
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

    private sealed record JobSpec(string Job, string? Location, PipelineSpec? Spec, string? Error);

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

    private static async Task<Dictionary<string, long>> BatchDeadLetterCountsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
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

    private static async Task<List<(string Reason, long Count)>> BatchReasonsAsync(NpgsqlDataSource dataSource, string pipeline,
        CancellationToken cancellationToken)
    {
        var reasons = new List<(string, long)>();
        await using var command = dataSource.CreateCommand($"SELECT reason, count(*) FROM {S}.dead_letters WHERE pipeline = $1 GROUP BY reason");
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reasons.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return reasons;
    }

    /// <summary>The batch layer's dead letters of <paramref name="pipeline"/> (<c>serving.dead_letters</c>), selected as <see cref="KafkaDeadLetterTable.ListAsync"/> selects.</summary>
    private static async Task<List<DeadLetterEntry>> BatchLettersAsync(NpgsqlDataSource dataSource, string pipeline, string? reason, int limit,
        CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetterEntry>();
        await using var command = dataSource.CreateCommand($"""
            SELECT 'b' || id, source, partition, "offset", transform, reason, record::text, created_at FROM {S}.dead_letters
            WHERE pipeline = $1 AND ($2::text IS NULL OR strpos(lower(reason), lower($2)) > 0 OR strpos(lower(transform), lower($2)) > 0)
            ORDER BY id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetterEntry(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc)));
        }

        return letters;
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
            return new JobSpec(job, null, null, $"Job {job} names no script location.");
        }

        if (location.Contains("://", StringComparison.Ordinal) && !location.StartsWith("file://", StringComparison.Ordinal))
        {
            return new JobSpec(job, location, null, $"The console reads local specs only; {location} is not one.");
        }

        var path = location.StartsWith("file://", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;
        try
        {
            return new JobSpec(job, location, await PipelineSpecLoader.LoadFileAsync(path, cancellationToken), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PipelineSpecException)
        {
            return new JobSpec(job, location, null, $"The spec at {location} could not be read: {e.Message}");
        }
    }
}
