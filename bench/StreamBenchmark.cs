using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Npgsql;
using Streams.Api.Registry;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Streaming;
using Streams.Streaming.Kafka;
using Streams.Streaming.MicroBatches;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// The speed layer against its two halves, in one run on one embedded broker and one PostgreSQL: a raw Confluent
/// consume of the topic (no decode), a binary COPY of the same rows into PostgreSQL, a plain consumer loop driving
/// the pipeline's partition writers, and the Streamiz application; then freshness (record timestamp to committed in
/// PostgreSQL) of the Streamiz pipeline with 100 ms micro-batches while events arrive at a steady rate.
/// </summary>
public sealed class StreamBenchmark : IBenchmark
{
    private const int Partitions = 16;

    private const string EventSchema = """
        {"type":"record","name":"Click","namespace":"bench","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"page","type":"string"},
          {"name":"ms","type":"int"},{"name":"price","type":"double"},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """;

    /// <inheritdoc />
    public string Name => "stream";

    /// <inheritdoc />
    public string Description =>
        "speed layer vs raw consume and PostgreSQL COPY, plain loop vs Streamiz; freshness at a steady rate (--records N, --rate R, --seconds S)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        int records = 200_000, rate = 20_000, seconds = 10, threads = 1;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length:
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rate" when i + 1 < args.Length:
                    rate = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds" when i + 1 < args.Length:
                    seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--threads" when i + 1 < args.Length:
                    threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; options: --records N, --rate R (events/s), --seconds S, --threads T (Streamiz stream threads)");
                    return 2;
            }
        }

        // The embedded broker keeps at most 5 MiB per partition (~60 B a record here): stay far below it.
        if (records > Partitions * 40_000 || (long)rate * seconds > Partitions * 40_000)
        {
            Console.Error.WriteLine($"--records and --rate x --seconds must each be at most {Partitions * 40_000} (the embedded broker's retention).");
            return 2;
        }

        if (!BenchPostgres.TryConfigure("stream"))
        {
            return 2;
        }

        await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
        var connectionString = database.ConnectionString;
        await using var server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(connectionString), app => app.MapSchemaRegistry());
        using var registry = new CachedSchemaRegistryClient(server.Url + SchemaRegistryEndpoints.DefaultPathBase);
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var clients = new KafkaClientFactory(kafka);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var directory = Directory.CreateTempSubdirectory("streams-bench-stream-").FullName;
        try
        {
            var schema = (RecordSchema)AvroSchemaParser.Parse(EventSchema);
            var serializer = new AvroSerializer(registry);
            foreach (var subject in (string[])["events-value", "live4-value", "live16-value"])
            {
                await registry.RegisterSchemaAsync(subject, new Streams.Registry.SchemaSubmission(EventSchema), cancellationToken: cancellationToken);
            }

            cluster.CreateTopic("events", Partitions, 1);
            // The embedded broker has no admin API for topics: its own call makes the dead-letter topics too.
            cluster.CreateTopic("events.dlq", Partitions, 1);
            Console.WriteLine($"producing {records:N0} events to 'events' ({Partitions} partitions)");
            await ProduceAsync(clients, "events", serializer, schema, records, rate: null, timestamps: null, cancellationToken);

            var raw = RawConsume(clients, "events", records);
            Console.WriteLine($"  raw consume: {raw:N0} records/s");
            var copy = await CopyAsync(dataSource, schema, records, cancellationToken);
            Console.WriteLine($"  PostgreSQL COPY of the same rows: {copy:N0} rows/s");

            var loop = PlainLoop(await PipelineAsync("bench_loop", "events", 10_000, directory, dataSource, registry, clients, cancellationToken),
                clients, records, cancellationToken);
            Console.WriteLine($"  plain consumer loop pipeline: {loop.Rate:N0} records/s after the first commit ({loop.Seconds:F2} s)");
            var streamiz = await StreamizAsync(await PipelineAsync("bench_streamiz", "events", 10_000, directory, dataSource, registry, clients, cancellationToken),
                kafka, threads, directory, records, cancellationToken);
            Console.WriteLine($"  Streamiz pipeline: {streamiz.Rate:N0} records/s after the group join ({streamiz.Seconds:F2} s; " +
                              $"{streamiz.JoinSeconds:F2} s from start to the first commit)");

            var live = new List<Freshness>();
            foreach (var partitions in (int[])[4, Partitions])
            {
                cluster.CreateTopic($"live{partitions}", partitions, 1);
                cluster.CreateTopic($"live{partitions}.dlq", partitions, 1);
                live.Add(await FreshnessAsync(
                    await PipelineAsync($"bench_live{partitions}", $"live{partitions}", 10_000, directory, dataSource, registry, clients, cancellationToken),
                    partitions, kafka, threads, clients, serializer, schema, directory, rate, seconds, cancellationToken));
            }

            var reference = Math.Min(raw, copy);
            Console.WriteLine();
            Console.WriteLine($"summary ({records:N0} events, {Partitions} partitions, one embedded broker, micro-batches up to 10,000 records / 100 ms, {threads} Streamiz thread(s), no lake archive)");
            Console.WriteLine($"  {"",-34} {"records/s",12} {"of min(raw, COPY)",18}");
            Console.WriteLine($"  {"raw Confluent consume",-34} {raw,12:N0} {raw / reference,18:P0}");
            Console.WriteLine($"  {"PostgreSQL binary COPY",-34} {copy,12:N0} {copy / reference,18:P0}");
            Console.WriteLine($"  {"plain consumer-loop pipeline",-34} {loop.Rate,12:N0} {loop.Rate / reference,18:P0}");
            Console.WriteLine($"  {"Streamiz pipeline",-34} {streamiz.Rate,12:N0} {streamiz.Rate / reference,18:P0}   (target >= 50%)");
            Console.WriteLine($"  Streamiz / plain loop: {streamiz.Rate / loop.Rate:P0}");
            Console.WriteLine($"  freshness (record timestamp to committed in PostgreSQL), {seconds} s at a steady rate, micro-batches of 100 ms (target p99 < 500 ms at 20,000/s):");
            Console.WriteLine($"  {"partitions",12} {"events/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"batches",8} {"records/batch p50",18} {"commit p50 ms",14} {"commit p99 ms",14}");
            foreach (var f in live)
            {
                Console.WriteLine($"  {f.Partitions,12} {f.Rate,10:N0} {f.P50 * 1000,8:F0} {f.P99 * 1000,8:F0} {f.Max * 1000,8:F0} {f.Batches,8:N0} {f.BatchRecordsP50,18:N0} " +
                                  $"{f.BatchP50 * 1000,14:F0} {f.BatchP99 * 1000,14:F0}");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static GenericRecord Event(RecordSchema schema, long id, DateTime ts, Random random) => new(schema,
    [
        id, $"user{random.Next(10_000)}", $"/page/{random.Next(500)}", random.Next(5_000), Math.Round(random.NextDouble() * 100, 2), ts,
    ]);

    /// <summary>Produces <paramref name="count"/> events; at <paramref name="rate"/> per second when given, recording each one's timestamp.</summary>
    private static async Task<double> ProduceAsync(KafkaClientFactory clients, string topic, AvroSerializer serializer, RecordSchema schema, int count,
        int? rate, ConcurrentDictionary<(int, long), DateTime>? timestamps, CancellationToken cancellationToken)
    {
        var context = new SerializationContext(MessageComponentType.Value, topic);
        var random = new Random(42);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var producer = clients.CreateProducer<byte[]?, byte[]>(c => c.LingerMs = 5);
        string? failure = null;
        var sentAt = new DateTime[timestamps is null ? 0 : count];
        var watch = Stopwatch.StartNew();
        Action<DeliveryReport<byte[]?, byte[]>> delivered = report =>
        {
            if (report.Error.IsError)
            {
                failure ??= report.Error.Reason;
            }
            else if (timestamps is not null)
            {
                // The report does not carry the timestamp back; the key says which event it was.
                timestamps.TryAdd((report.Partition.Value, report.Offset.Value), sentAt[BitConverter.ToInt32(report.Message.Key)]);
            }
        };
        for (var i = 0; i < count; i++)
        {
            if (rate is { } perSecond && i % Math.Max(1, perSecond / 100) == 0)
            {
                // Paced in 10 ms steps: ahead of schedule, wait for it.
                var due = TimeSpan.FromSeconds((double)i / perSecond) - watch.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }

            var value = serializer.Serialize(Event(schema, i, start.AddSeconds(i), random), context);
            var now = DateTime.UtcNow;
            if (timestamps is not null)
            {
                sentAt[i] = now;
            }

            producer.Produce(topic, new Message<byte[]?, byte[]> { Key = BitConverter.GetBytes(i), Value = value, Timestamp = new Timestamp(now) }, delivered);
        }

        producer.Flush(cancellationToken);
        return failure is null ? count / watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"produce failed: {failure}");
    }

    private static double RawConsume(KafkaClientFactory clients, string topic, int records)
    {
        using var consumer = clients.CreateConsumer<Ignore, byte[]>("bench-raw");
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var watch = Stopwatch.StartNew();
        for (var read = 0; read < records;)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException($"raw consume read {read} of {records} records");
            if (!result.IsPartitionEOF)
            {
                read++;
            }
        }

        return records / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Binary COPY of the rows the pipeline writes (the event's fields and the derived column) into a plain table.</summary>
    private static async Task<double> CopyAsync(NpgsqlDataSource dataSource, RecordSchema schema, int records, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
                         "CREATE TABLE bench_copy (id bigint, \"user\" text, page text, ms integer, price double precision, ts timestamptz, amount double precision)",
                         connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var random = new Random(42);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, records).Select(i => Event(schema, i, start.AddSeconds(i), random)).ToList();
        var watch = Stopwatch.StartNew();
        // In chunks of the micro-batch size, each its own transaction, as the pipelines commit.
        foreach (var chunk in rows.Chunk(10_000))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync(
                             "COPY bench_copy (id, \"user\", page, ms, price, ts, amount) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in chunk)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync((long)row.Values[0]!, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync((string)row.Values[1]!, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync((string)row.Values[2]!, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync((int)row.Values[3]!, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync((double)row.Values[4]!, NpgsqlTypes.NpgsqlDbType.Double, cancellationToken);
                    await importer.WriteAsync((DateTime)row.Values[5]!, NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken);
                    await importer.WriteAsync((double)row.Values[4]! * 2, NpgsqlTypes.NpgsqlDbType.Double, cancellationToken);
                }

                await importer.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return records / watch.Elapsed.TotalSeconds;
    }

    private static async Task<SpeedPipeline> PipelineAsync(string name, string topic, int maxRecords, string directory, NpgsqlDataSource dataSource,
        CachedSchemaRegistryClient registry, KafkaClientFactory clients, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, name + ".yaml");
        await File.WriteAllTextAsync(path, $"""
            name: {name}
            source:
              kafka:
                topic: {topic}
                subject: {topic}-value
                max_batch_records: {maxRecords}
                max_batch_interval: 100ms
            transforms:
              - filter: ms >= 0
              - derive:
                  amount: price * 2
            sinks:
              - serving: {name}
                time: ts
            """, cancellationToken);
        var spec = await PipelineSpecLoader.LoadFileAsync(path, cancellationToken);
        return await SpeedPipeline.CreateAsync(spec, dataSource, registry, clients, new TopicManager(clients), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The pipeline without Streamiz: one consumer assigned every partition from the position PostgreSQL holds, each
    /// partition's records into its <see cref="MicroBatchPartition"/>, the time bound checked after every poll.
    /// </summary>
    private static (double Rate, double Seconds) PlainLoop(SpeedPipeline pipeline, KafkaClientFactory clients, int records, CancellationToken cancellationToken)
    {
        using var _ = pipeline;
        var metrics = new SpeedLayerMetrics();
        var watch = Stopwatch.StartNew();
        (TimeSpan At, int Records)? first = null;
        metrics.BatchCommitted += commit => first ??= (watch.Elapsed, commit.Result.Records);
        var partitions = Enumerable.Range(0, Partitions)
            .Select(p => new MicroBatchPartition(pipeline.Topic, p, pipeline.CreatePartitionWriter(p), pipeline.Bounds, metrics)).ToArray();
        using (var consumer = clients.CreateConsumer<byte[]?, byte[]>("bench-loop"))
        {
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, p.NextOffset)));
            while (metrics.RecordsIn < records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(TimeSpan.FromMilliseconds(10));
                if (result is { IsPartitionEOF: false })
                {
                    partitions[result.Partition.Value].Add(new KafkaRecord(result.Topic, result.Partition.Value, result.Offset.Value,
                        result.Message.Timestamp.UtcDateTime, result.Message.Key, result.Message.Value));
                }

                foreach (var partition in partitions)
                {
                    partition.FlushIfDue();
                }
            }
        }

        var done = watch.Elapsed;
        foreach (var partition in partitions)
        {
            partition.Dispose();
        }

        var (at, firstRecords) = first!.Value;
        return ((records - firstRecords) / (done - at).TotalSeconds, done.TotalSeconds);
    }

    private static async Task<(double Rate, double Seconds, double JoinSeconds)> StreamizAsync(SpeedPipeline pipeline, KafkaOptions kafka, int threads, string directory,
        int records, CancellationToken cancellationToken)
    {
        using var _ = pipeline;
        var metrics = new SpeedLayerMetrics();
        var firstCommit = new TaskCompletionSource<(TimeSpan At, int Records)>();
        var watch = Stopwatch.StartNew();
        metrics.BatchCommitted += commit => firstCommit.TrySetResult((watch.Elapsed, commit.Result.Records));
        await using var layer = pipeline.CreateLayer(new SpeedLayerOptions { Kafka = kafka, Threads = threads, StateDirectory = Path.Combine(directory, "streamiz") }, metrics);
        await layer.StartAsync(cancellationToken);
        while (metrics.RecordsIn < records)
        {
            if (layer.Completion.IsCompleted)
            {
                await layer.Completion;
                throw new InvalidOperationException("the Streamiz application stopped before it read every record");
            }

            await Task.Delay(5, cancellationToken);
        }

        var done = watch.Elapsed;
        var (at, first) = await firstCommit.Task;
        return ((records - first) / (done - at).TotalSeconds, done.TotalSeconds, at.TotalSeconds);
    }

    private static async Task<Freshness> FreshnessAsync(SpeedPipeline pipeline, int partitions, KafkaOptions kafka, int threads, KafkaClientFactory clients, AvroSerializer serializer, RecordSchema schema, string directory, int rate,
        int seconds, CancellationToken cancellationToken)
    {
        using var _ = pipeline;
        var metrics = new SpeedLayerMetrics();
        var timestamps = new ConcurrentDictionary<(int, long), DateTime>();
        var commits = new ConcurrentQueue<MicroBatchCommit>();
        metrics.BatchCommitted += commits.Enqueue;
        await using var layer = pipeline.CreateLayer(new SpeedLayerOptions { Kafka = kafka, Threads = threads, StateDirectory = Path.Combine(directory, pipeline.Topic) }, metrics);
        await layer.StartAsync(cancellationToken);
        while (metrics.Partitions.Count < partitions || layer.State != "RUNNING")
        {
            await Task.Delay(50, cancellationToken);
        }

        var count = rate * seconds;
        Console.WriteLine($"  freshness: producing {count:N0} events at {rate:N0}/s to '{pipeline.Topic}' ({partitions} partitions) while the Streamiz pipeline runs");
        var produced = await ProduceAsync(clients, pipeline.Topic, serializer, schema, count, rate, timestamps, cancellationToken);
        while (metrics.RecordsIn < count)
        {
            await Task.Delay(5, cancellationToken);
        }

        var freshness = new List<double>(count);
        foreach (var commit in commits)
        {
            for (var offset = commit.FirstOffset; offset <= commit.LastOffset; offset++)
            {
                if (timestamps.TryGetValue((commit.Partition, offset), out var sent))
                {
                    freshness.Add(Math.Max(0, (commit.Result.CommittedAt - sent).TotalSeconds));
                }
            }
        }

        freshness.Sort();
        var took = commits.Select(c => c.Took.TotalSeconds).Order().ToList();
        var sizes = commits.Select(c => (double)c.Result.Records).Order().ToList();
        return new Freshness(partitions, produced, Quantile(freshness, 0.5), Quantile(freshness, 0.99), freshness[^1], commits.Count, Quantile(sizes, 0.5),
            Quantile(took, 0.5), Quantile(took, 0.99));
    }

    private sealed record Freshness(int Partitions, double Rate, double P50, double P99, double Max, long Batches, double BatchRecordsP50, double BatchP50,
        double BatchP99);

    private static double Quantile(List<double> sorted, double q) => sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
