using System.Diagnostics;
using System.Globalization;
using System.Text;
using Streams.Api.Registry;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Streaming.Consume;
using Streams.Streaming.Kafka;
using Streams.Streaming.Produce;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// <c>streams produce</c>'s engine (<see cref="FileProducer"/>: a JSON lines, Avro, CSV and Parquet file of the same records
/// read, Avro-encoded through the registry, produced idempotently with acks=all), each beside kcat producing the same
/// wire-format bytes from a file, and
/// <see cref="TopicReader"/> (fetch and decode) beside <c>kcat -C</c>, all on one embedded broker in the same run.
/// </summary>
public sealed class KafkaBenchmark : IBenchmark
{
    private const int MinPartitions = 16;

    // The mock broker keeps at most 5 MiB per partition, dropping the oldest beyond. streams produce spreads keyless records
    // evenly (a read batch to each partition in turn); kcat's sticky partitioner keeps to one partition for 10 ms at a
    // time, filling partitions unevenly (up to 4x the mean here): the margin is for kcat.
    private const int RecordsPerPartition = 12_500;
    private const string Delimiter = "~#kcat-delimiter#~";

    // Every run writes under one subject, registered by the first: a run to a new topic would otherwise register a new
    // subject, and the registry (in this process) would compile its request path anew while streams' runs are timed.
    private const string Subject = "bench-clicks-value";

    private const string EventSchema = """
        {"type":"record","name":"Click","namespace":"bench","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"page","type":"string"},
          {"name":"ms","type":"int"},{"name":"price","type":"double"},{"name":"ref","type":["null","string"],"default":null}]}
        """;

    /// <inheritdoc />
    public string Name => "kafka";

    /// <inheritdoc />
    public string Description => "streams produce / consume vs kcat -P / -C on the same bytes (--records N, default 400000; --runs N timed runs per format, default 5; --formats jsonl,avro,csv,parquet)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = 400_000;
        var timedRuns = 5;
        string[] formats = ["jsonl", "avro", "csv", "parquet"];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length:
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--runs" when i + 1 < args.Length:
                    timedRuns = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--formats" when i + 1 < args.Length:
                    formats = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; options: --records N, --runs N, --formats jsonl,avro,csv,parquet");
                    return 2;
            }
        }

        var partitions = Math.Max(MinPartitions, (records + RecordsPerPartition - 1) / RecordsPerPartition);
        if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "kcat"))))
        {
            Console.Error.WriteLine("kafka: kcat, the reference this benchmark measures against, is not installed: run scripts/setup.");
            return 2;
        }

        if (!BenchPostgres.TryConfigure("kafka"))
        {
            return 2;
        }

        await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
        var connectionString = database.ConnectionString;
        await using var server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(connectionString), app => app.MapSchemaRegistry());
        var registryUrl = server.Url + SchemaRegistryEndpoints.DefaultPathBase;
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        var clients = new KafkaClientFactory(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });
        using var registry = new CachedSchemaRegistryClient(registryUrl);
        var directory = Directory.CreateTempSubdirectory("streams-bench-kafka-").FullName;
        try
        {
            var (files, schemaFile, wire) = await WriteInputsAsync(directory, records, registry, cancellationToken);
            Console.WriteLine($"{records:N0} records; JSON lines {new FileInfo(files[0]).Length:N0} B; wire format {new FileInfo(wire).Length:N0} B");
            var kcatRuns = 0;
            async Task<double> KcatAsync()
            {
                var topic = $"kcat-{++kcatRuns}";
                cluster.CreateTopic(topic, partitions, 1);
                return await KcatProduceAsync(cluster.BootstrapServers, topic, wire);
            }

            var produce = new List<FormatRuns>();
            foreach (var file in files.Where(f => formats.Contains(Path.GetExtension(f).TrimStart('.'))))
            {
                var format = Path.GetExtension(file).TrimStart('.');
                // The first run of a format in this process runs its code before the JIT has optimised it (as a
                // one-off `streams produce` of a small file does); the timed runs after it are the steady rate.
                var (cold, path) = await ProduceAsync(clients, registry, file, $"streams-{format}-cold", schemaFile, records, cluster,
                    partitions, cancellationToken);
                // kcat before and after every timed run: this machine's speed drifts by a third within a minute, so each
                // run is set against kcat's runs on either side of it rather than against a kcat run from another minute.
                var kcat = new List<double> { await KcatAsync() };
                var timed = new double[timedRuns];
                for (var run = 0; run < timedRuns; run++)
                {
                    (timed[run], _) = await ProduceAsync(clients, registry, file, $"streams-{format}-{run + 1}", schemaFile, records, cluster,
                        partitions, cancellationToken);
                    kcat.Add(await KcatAsync());
                    Console.WriteLine($"  {format} run {run + 1}: streams {records / timed[run],10:N0}/s   kcat on either side " +
                        $"{records / kcat[^2],10:N0}/s {records / kcat[^1],10:N0}/s   {Paired(kcat, timed, run),5:P0} of kcat");
                }

                produce.Add(new FormatRuns(format, path, cold, timed, [.. kcat]));
            }

            var consumedTopic = $"streams-{produce[0].Format}-1";
            var consumeWatch = Stopwatch.StartNew();
            long consumed = 0;
            await foreach (var batch in new TopicReader(clients, registry).ReadBatchesAsync(
                new TopicReadOptions { Topic = consumedTopic, FromBeginning = true, Limit = records, IdleTimeout = TimeSpan.FromSeconds(10) },
                cancellationToken))
            {
                foreach (var message in batch)
                {
                    consumed += message.Error is null ? 1 : throw new InvalidOperationException(message.Error);
                }
            }

            if (consumed != records)
            {
                Console.Error.WriteLine($"streams consume read {consumed:N0} of {records:N0} records: the embedded broker dropped the oldest " +
                    "of a partition that outgrew 5 MiB.");
                return 1;
            }

            var streamsConsume = consumeWatch.Elapsed.TotalSeconds;
            consumeWatch.Restart();
            var output = await ExternalTool.RunAsync("bash",
                ["-c", $"kcat -C -b {cluster.BootstrapServers} -t {consumedTopic} -o beginning -e -q -f '%o\\n' | wc -l"], timeout: TimeSpan.FromMinutes(10));
            var kcatConsume = consumeWatch.Elapsed.TotalSeconds;
            if (long.Parse(output.Trim(), CultureInfo.InvariantCulture) != records)
            {
                throw new InvalidOperationException($"kcat read {output.Trim()} of {records} records");
            }

            Console.WriteLine();
            Console.WriteLine($"summary (records/s, wall clock, one embedded broker, {partitions} partitions; kcat -P sends the " +
                "wire-format bytes as they are)");
            Console.WriteLine($"  {"streams produce",-10} {"median of " + timedRuns,12} {"kcat median",12} {"of kcat",8} {"lowest",7} " +
                $"{"first run",10} {"of kcat",8}  path");
            foreach (var runs in produce)
            {
                var paired = Enumerable.Range(0, timedRuns).Select(run => Paired(runs.Kcat, runs.Timed, run)).ToList();
                var kcatMedian = Median(runs.Kcat);
                Console.WriteLine($"  {runs.Format,-10} {records / Median(runs.Timed),12:N0} {records / kcatMedian,12:N0} {Median(paired),8:P0} " +
                    $"{paired.Min(),7:P0} {records / runs.Cold,10:N0} {kcatMedian / runs.Cold,8:P0}  {runs.Path}");
            }

            Console.WriteLine("  (of kcat: the median over the timed runs of each run's rate over kcat's on either side of it; target at least 70%.");
            Console.WriteLine("   The first run of each format in the process is before the JIT's optimising, set against kcat's median.)");
            Console.WriteLine($"  consume: streams {consumed / streamsConsume:N0} (fetch + decode), kcat -C {records / kcatConsume:N0} (offsets only): " +
                $"{kcatConsume / streamsConsume:P0} of kcat");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Timed run <paramref name="run"/>'s rate over the mean of kcat's rates in the runs before and after it.</summary>
    private static double Paired(IReadOnlyList<double> kcatSeconds, double[] seconds, int run) =>
        (2 / (1 / kcatSeconds[run] + 1 / kcatSeconds[run + 1])) / seconds[run];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A format's runs: the path its records took, the first run's seconds, the timed runs' and kcat's on either side of each.</summary>
    private sealed record FormatRuns(string Format, string Path, double Cold, double[] Timed, double[] Kcat);

    /// <summary>Produces <paramref name="file"/> to a new topic; returns the seconds it took and the path its records took.</summary>
    private static async Task<(double Seconds, string Path)> ProduceAsync(KafkaClientFactory clients, CachedSchemaRegistryClient registry,
        string file, string topic, string schemaFile, int records, MockKafkaCluster cluster, int partitions,
        CancellationToken cancellationToken)
    {
        cluster.CreateTopic(topic, partitions, 1);
        var watch = Stopwatch.StartNew();
        var produced = await new FileProducer(clients, registry).ProduceAsync(
            new FileProduceOptions { Topic = topic, FilePath = file, SchemaFile = schemaFile, Subject = Subject }, r => throw new InvalidOperationException(r.ToString()),
            cancellationToken: cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        var path = produced.AvroPassthrough ? "read + datums as encoded + produce"
            : produced.Transcoded == records ? "read + transcode to Avro + produce"
            : Path.GetExtension(file) == ".parquet" ? "read columns + encode + produce"
            : "read + decode + encode + produce";
        return produced.Records == records
            ? (seconds, path)
            : throw new InvalidOperationException($"streams produced {produced.Records} of {records} records from {file}");
    }

    /// <summary>Runs kcat -P over the wire-format file with the producer settings streams uses; returns the seconds it took.</summary>
    private static async Task<double> KcatProduceAsync(string brokers, string topic, string wire)
    {
        var watch = Stopwatch.StartNew();
        // From standard input: kcat sends a file named as an argument as one message.
        await ExternalTool.RunAsync("bash", ["-c", $"kcat -P -b {brokers} -t {topic} -D '{Delimiter}' -X linger.ms=5 " +
            $"-X enable.idempotence=true -X acks=all < {wire}"], timeout: TimeSpan.FromMinutes(10));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The records as JSON lines, Avro, CSV and Parquet files, their schema file, and the same records in the wire format
    /// split by <see cref="Delimiter"/> for kcat.
    /// </summary>
    private static async Task<(string[] Files, string Schema, string Wire)> WriteInputsAsync(string directory, int records,
        CachedSchemaRegistryClient registry, CancellationToken cancellationToken)
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse(EventSchema);
        var schemaFile = Path.Combine(directory, "click.avsc");
        await File.WriteAllTextAsync(schemaFile, EventSchema, cancellationToken);
        var serializer = new AvroSerializer(registry);
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "streams");
        var jsonl = Path.Combine(directory, "clicks.jsonl");
        var wire = Path.Combine(directory, "clicks.wire");
        var delimiter = Encoding.UTF8.GetBytes(Delimiter);
        string[] files = [jsonl, .. new[] { ".avro", ".csv", ".parquet" }.Select(e => Path.Combine(directory, "clicks" + e))];
        var writers = new List<IRecordWriter>();
        foreach (var file in files[1..])
        {
            writers.Add(await RecordFiles.OpenWriterAsync(file, schema, cancellationToken: cancellationToken));
        }

        await using var json = new JsonLinesWriter(File.Create(jsonl), schema);
        await using var bytes = File.Create(wire);
        var random = new Random(42);
        for (var i = 0; i < records; i++)
        {
            var record = new GenericRecord(schema,
            [
                (long)i, $"user{random.Next(10_000)}", $"/page/{random.Next(500)}", random.Next(5_000), Math.Round(random.NextDouble() * 100, 2),
                i % 3 == 0 ? null : "https://example.com/",
            ]);
            await json.WriteAsync(record, cancellationToken);
            foreach (var writer in writers)
            {
                await writer.WriteAsync(record, cancellationToken);
            }

            var value = serializer.Serialize(record, context);
            if (value.AsSpan().IndexOf(delimiter) >= 0)
            {
                throw new InvalidOperationException("a payload contains kcat's delimiter");
            }

            bytes.Write(value);
            bytes.Write(delimiter);
        }

        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }

        return (files, schemaFile, wire);
    }
}
