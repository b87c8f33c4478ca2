using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Api.Glue;
using Streams.Api.Jobs;
using Streams.Api.Registry;
using Streams.Batch.Backfills;
using Streams.Catalog;
using Streams.Catalog.Storage;
using Streams.Jobs;
using Streams.Jobs.Runs;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Streaming;
using Streams.Streaming.Kafka;
using Streams.Streaming.Produce;
using Streams.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// Job start latency on the embedded stack (one host: Glue API, job runner, registry, embedded broker, PostgreSQL): from
/// StartJobRun to the first record committed in PostgreSQL, for a <c>glueetl</c> job (the backfill's swap) and a
/// <c>gluestreaming</c> job (the speed layer's first micro-batch), broken down by the run's log times. The reference, in
/// the same run: the same backfill and the same speed layer started directly, without the job machinery.
/// </summary>
public sealed class JobStartBenchmark : IBenchmark
{
    private const string Schema = """
        {"type":"record","name":"Sale","namespace":"bench","fields":[
          {"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":"long"},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """;

    /// <inheritdoc />
    public string Name => "jobstart";

    /// <inheritdoc />
    public string Description => "StartJobRun to first record committed, glueetl and gluestreaming, vs the same layers started directly (--runs N, default 5)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; options: --runs N");
                    return 2;
            }
        }

        if (!BenchPostgres.TryConfigure("jobstart"))
        {
            return 2;
        }

        using var lake = await TestLake.CreateAsync(3000);
        await using var database = await TestPostgres.CreateDatabaseAsync(cancellationToken);
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var clients = new KafkaClientFactory(kafka);
        var topics = new TopicManager(clients, cluster);
        var registryUrl = "";
        var connectionString = database.ConnectionString;
        var options = new JobsOptions { PollInterval = TimeSpan.FromSeconds(1), LeaseDuration = TimeSpan.FromSeconds(15) };
        await using var host = await TestWebServer.StartAsync(
            builder =>
            {
                builder.Services.AddSchemaRegistry(connectionString);
                builder.Services.AddGlueCatalog(connectionString, new LakeOptions { Root = lake.Root }, new CatalogOptions());
                builder.Services.AddGlueJobs(connectionString, options, _ => new StreamingEnvironment(kafka, topics, () => new CachedSchemaRegistryClient(registryUrl))
                {
                    SessionTimeout = TimeSpan.FromSeconds(6),
                });
            },
            app =>
            {
                app.MapSchemaRegistry();
                app.MapGlueApi();
            });
        registryUrl = host.Url + SchemaRegistryEndpoints.DefaultPathBase;
        await using var postgres = NpgsqlDataSource.Create(connectionString);
        // Why here: the first backfill would make the batch schema, and the benchmark watches its runs table from the start.
        await Streams.Batch.Bookmarks.BatchMigrations.ApplyAsync(postgres, cancellationToken);

        // The stream's input: 400 sales on 4 partitions, produced (and their schema registered) before any run starts.
        await topics.CreateAsync(new TopicSpec("sales", 4), cancellationToken);
        await topics.CreateAsync(new TopicSpec(Streams.Streaming.DeadLetters.DeadLetterTopic.NameOf("sales"), 4), cancellationToken);
        var work = Directory.CreateTempSubdirectory("streams-bench-jobstart-").FullName;
        try
        {
            var schemaFile = Path.Combine(work, "sale.avsc");
            await File.WriteAllTextAsync(schemaFile, Schema, cancellationToken);
            var input = new StringBuilder();
            for (var i = 0; i < 400; i++)
            {
                input.Append(CultureInfo.InvariantCulture, $$"""{"id": {{i}}, "customer": "c{{i % 7}}", "amount": {{i}}, "ts": {{1767225600000L + i * 1000}}}""").Append('\n');
            }

            var jsonl = Path.Combine(work, "sales.jsonl");
            await File.WriteAllTextAsync(jsonl, input.ToString(), cancellationToken);
            using (var registry = new CachedSchemaRegistryClient(registryUrl))
            {
                await new FileProducer(clients, registry).ProduceAsync(new FileProduceOptions { Topic = "sales", FilePath = jsonl, SchemaFile = schemaFile },
                    r => throw new InvalidOperationException(r.ToString()), cancellationToken: cancellationToken);
            }

            var batchSpec = Path.Combine(work, "hourly.yaml");
            await File.WriteAllTextAsync(batchSpec, ViewComparison.Pipeline("hourly", TestLake.ParquetTable), cancellationToken);
            await GlueHttp.CallAsync(host.Url, "CreateJob", $$$"""
                {"Name": "batch", "Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "{{{batchSpec}}}"},
                 "DefaultArguments": {"--watermark": "2026-12-31T00:00:00Z"}}
                """);

            var batchJob = new List<Breakdown>();
            var batchDirect = new List<double>();
            var streamJob = new List<Breakdown>();
            var streamDirect = new List<double>();
            Console.WriteLine($"{runs} runs each; progress:");
            for (var run = 0; run < runs; run++)
            {
                batchJob.Add(await BatchJobAsync(host.Url, postgres, cancellationToken));
                batchDirect.Add(await BatchDirectAsync(postgres, lake, batchSpec, cancellationToken));

                // A new pipeline (consumer group) per run: a group a member just left makes the next wait ~session.timeout.ms.
                var streamSpec = Path.Combine(work, $"stream{run}.yaml");
                await File.WriteAllTextAsync(streamSpec, StreamSpec($"stream{run}"), cancellationToken);
                streamJob.Add(await StreamJobAsync(host.Url, postgres, $"stream{run}", streamSpec, cancellationToken));
                var directSpec = PipelineSpecLoader.Parse(StreamSpec($"direct{run}"), "direct.yaml");
                streamDirect.Add(await StreamDirectAsync(postgres, kafka, clients, topics, registryUrl, directSpec, cancellationToken));
                Console.WriteLine($"  run {run + 1}/{runs}: glueetl {batchJob[^1].Total:F0} ms (direct {batchDirect[^1]:F0} ms), " +
                                  $"gluestreaming {streamJob[^1].Total:F0} ms (direct {streamDirect[^1]:F0} ms)");
            }

            Console.WriteLine();
            Console.WriteLine("summary (ms, StartJobRun to the first record committed in PostgreSQL; p50 / max over the runs)");
            Console.WriteLine($"  {"",-14} {"total",13} {"API",11} {"claim",11} {"spec load",11} {"to commit",13} {"direct",13} {"job/direct",10}");
            Print("glueetl", batchJob, batchDirect, target: 1000);
            Print("gluestreaming", streamJob, streamDirect, target: 5000);
            Console.WriteLine("  API: the StartJobRun round trip; claim: queued to claimed by the runner (woken by StartJobRun in this host);");
            Console.WriteLine("  spec load: claimed to the pipeline ready (spec, and for streaming the serving table, topics and reader schema);");
            Console.WriteLine("  to commit: the backfill to its swap, or Streamiz start + group join + first micro-batch; direct: the same layer without a job.");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string StreamSpec(string name) => $$"""
        name: {{name}}
        source:
          kafka:
            topic: sales
            max_batch_records: 100
            max_batch_interval: 100ms
        window: { type: tumbling, time: ts, size: 1h, watermark_delay: 1d }
        aggregate:
          group_by: [customer]
          measures:
            orders: count()
        sinks:
          - serving: {{name}}
        """;

    private static async Task<Breakdown> BatchJobAsync(string url, NpgsqlDataSource postgres, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var runId = await StartAsync(url, "batch");
        var api = watch.Elapsed.TotalMilliseconds;
        DateTime? committed = null;
        while (committed is null)
        {
            committed = await ScalarAsync<DateTime?>(postgres, $"""
                SELECT max(finished_at) FROM batch.runs WHERE pipeline = 'hourly' AND status = 'SUCCEEDED' AND started_at >= '{started:O}'
                """, cancellationToken);
            await Task.Delay(10, cancellationToken);
        }

        await WaitStateAsync(postgres, runId, "SUCCEEDED", cancellationToken);
        return await BreakdownAsync(postgres, runId, started, api, committed.Value, "backfill of pipeline", cancellationToken);
    }

    private static async Task<double> BatchDirectAsync(NpgsqlDataSource postgres, TestLake lake, string spec, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var parsed = PipelineSpecLoader.Parse(await File.ReadAllTextAsync(spec, cancellationToken), spec);
        await new BackfillRunner(postgres, new LocalLakeStorage(lake.Root)).RunAsync(parsed,
            new BackfillOptions { Watermark = new DateTime(2026, 12, 31, 0, 0, 0, DateTimeKind.Utc) }, cancellationToken: cancellationToken);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<Breakdown> StreamJobAsync(string url, NpgsqlDataSource postgres, string name, string spec,
        CancellationToken cancellationToken)
    {
        await GlueHttp.CallAsync(url, "CreateJob", $$$"""{"Name": "{{{name}}}", "Role": "r", "Command": {"Name": "gluestreaming", "ScriptLocation": "{{{spec}}}"}}""");
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var runId = await StartAsync(url, name);
        var api = watch.Elapsed.TotalMilliseconds;
        await WaitCommittedAsync(postgres, name, cancellationToken);
        var committed = DateTime.UtcNow;
        await GlueHttp.CallAsync(url, "BatchStopJobRun", $$"""{"JobName": "{{name}}", "JobRunIds": ["{{runId}}"]}""");
        await WaitStateAsync(postgres, runId, "STOPPED", cancellationToken);
        return await BreakdownAsync(postgres, runId, started, api, committed, "speed layer of pipeline", cancellationToken);
    }

    private static async Task<double> StreamDirectAsync(NpgsqlDataSource postgres, KafkaOptions kafka, KafkaClientFactory clients, TopicManager topics,
        string registryUrl, PipelineSpec spec, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var registry = new CachedSchemaRegistryClient(registryUrl);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, postgres, registry, clients, topics, cancellationToken: cancellationToken);
        await using var layer = pipeline.CreateLayer(new SpeedLayerOptions
        {
            Kafka = kafka,
            SessionTimeout = TimeSpan.FromSeconds(6),
            StateDirectory = Path.Combine(Path.GetTempPath(), "streams-bench-jobstart", spec.Name),
        });
        await layer.StartAsync(cancellationToken);
        await WaitCommittedAsync(postgres, spec.Name, cancellationToken);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task WaitCommittedAsync(NpgsqlDataSource postgres, string view, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await ScalarAsync<long>(postgres, $"SELECT count(*) FROM serving.{view}", cancellationToken) > 0)
                {
                    return;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The pipeline has not made its serving table yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"nothing was committed to serving.{view} within 120 s");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    private static async Task WaitStateAsync(NpgsqlDataSource postgres, string runId, string state, CancellationToken cancellationToken)
    {
        while (await ScalarAsync<string>(postgres, $"SELECT state FROM jobs.runs WHERE id = '{runId}'", cancellationToken) is var current && current != state)
        {
            if (current is "FAILED" or "TIMEOUT")
            {
                throw new InvalidOperationException($"job run {runId} ended {current}: " +
                    await ScalarAsync<string>(postgres, $"SELECT error_message FROM jobs.runs WHERE id = '{runId}'", cancellationToken));
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The phases from the run's log: queued, claimed ("running on host"), pipeline ready, and the commit.</summary>
    private static async Task<Breakdown> BreakdownAsync(NpgsqlDataSource postgres, string runId, DateTime started, double api, DateTime committed,
        string ready, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand($"SELECT at, message FROM jobs.run_logs WHERE run_id = '{runId}' ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var log = new List<(DateTime At, string Message)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            log.Add((reader.GetDateTime(0).ToUniversalTime(), reader.GetString(1)));
        }

        DateTime At(string prefix) => log.First(l => l.Message.StartsWith(prefix, StringComparison.Ordinal)).At;
        var queued = At("queued by StartJobRun");
        var claimed = At("running on host");
        var loaded = At(ready);
        return new Breakdown((committed.ToUniversalTime() - started).TotalMilliseconds, api, (claimed - queued).TotalMilliseconds,
            (loaded - claimed).TotalMilliseconds, (committed.ToUniversalTime() - loaded).TotalMilliseconds);
    }

    private static void Print(string name, List<Breakdown> job, List<double> direct, double target)
    {
        static string Stat(IEnumerable<double> values, int width)
        {
            var sorted = values.Order().ToList();
            return $"{sorted[sorted.Count / 2],0:F0} / {sorted[^1]:F0}".PadLeft(width);
        }

        var ratio = job.Select(j => j.Total).Order().ToList()[job.Count / 2] / direct.Order().ToList()[direct.Count / 2];
        var p50 = job.Select(j => j.Total).Order().ToList()[job.Count / 2];
        Console.WriteLine($"  {name,-14} {Stat(job.Select(j => j.Total), 13)} {Stat(job.Select(j => j.Api), 11)} {Stat(job.Select(j => j.Claim), 11)} " +
                          $"{Stat(job.Select(j => j.SpecLoad), 11)} {Stat(job.Select(j => j.ToCommit), 13)} {Stat(direct, 13)} {ratio,9:F2}x" +
                          $"   target < {target:F0} ms: {(p50 < target ? "met" : "missed")}");
    }

    private static async Task<string> StartAsync(string url, string job)
    {
        return (await GlueHttp.CallAsync(url, "StartJobRun", $$"""{"JobName": "{{job}}"}""")).GetProperty("JobRunId").GetString()!;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource postgres, string sql, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? default! : (T)value!;
    }

    private sealed record Breakdown(double Total, double Api, double Claim, double SpecLoad, double ToCommit);
}
