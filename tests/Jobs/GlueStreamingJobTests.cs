using Microsoft.Extensions.DependencyInjection;
using Streams.Catalog.Storage;
using Streams.Jobs.Runs;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;
using Streams.Streaming.Tests.Speed;

namespace Streams.Jobs.Tests;

/// <summary>
/// A <c>gluestreaming</c> run executed for real: the pipeline's speed layer in the host over the embedded broker, the
/// registry and PostgreSQL, started by boto3's StartJobRun and stopped by BatchStopJobRun, which writes the last
/// micro-batch before the run ends STOPPED.
/// </summary>
public sealed class GlueStreamingJobTests : IAsyncLifetime
{
    private SpeedStack _stack = null!;
    private SalesProducer _producer = null!;
    private DirectoryInfo _work = null!;
    private JobsHost _host = null!;
    private readonly SpeedLayerRegistry _layers = new();

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _producer = new SalesProducer(_stack);
        _work = Directory.CreateTempSubdirectory("streams-streaming-job-");
        await _stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
        await _stack.Topics.CreateAsync(new TopicSpec(Streams.Streaming.DeadLetters.DeadLetterTopic.NameOf(SalesEvents.Topic), 4));
        _host = await JobsHost.StartAsync(_stack.ConnectionString, _stack.Lake.FullName, streaming: sp =>
            new StreamingEnvironment(new KafkaOptions { BootstrapServers = _stack.Kafka.BootstrapServers }, _stack.Topics,
                () => new Streams.Registry.Client.CachedSchemaRegistryClient(_stack.RegistryUrl))
            {
                SessionTimeout = TimeSpan.FromSeconds(6),
                // Neither Kafka's commit interval nor the batch interval writes a micro-batch within the test: a
                // partition's batch is written when it reaches 300 records, or when the run stops.
                KafkaCommitInterval = TimeSpan.FromHours(1),
                Archive = sp.GetRequiredService<LakeStorageProvider>().Storage,
                Layers = _layers,
            });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _producer.Dispose();
        await _stack.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task A_gluestreaming_run_fills_the_view_while_RUNNING_reports_its_metrics_and_BatchStopJobRun_writes_the_last_batch()
    {
        var spec = Path.Combine(_work.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml.Replace("max_batch_interval: 100ms", "max_batch_interval: 1h", StringComparison.Ordinal));
        // The first events register the schema, which the pipeline reads as its reader schema when the run starts.
        await _producer.ProduceAsync(0, 200);

        var started = Json(await _host.Boto3Async($$"""
            glue.create_job(Name="sales-stream", Role="r", Command={"Name": "gluestreaming", "ScriptLocation": "{{spec}}"})
            run_id = glue.start_job_run(JobName="sales-stream")["JobRunId"]
            run = wait_run("sales-stream", run_id, states=("RUNNING", "FAILED", "STOPPED"))
            print(json.dumps({"id": run_id, "state": run["JobRunState"], "error": run.get("ErrorMessage")}))
            """));
        var runId = started.GetProperty("id").GetString()!;
        started.GetProperty("state").GetString().Should().Be("RUNNING", started.GetRawText());

        // 1300 sales round-robin over 4 partitions: every partition writes one batch of 300, and the rest (not a multiple
        // of 300 in all) stays pending until the stop.
        await _producer.ProduceAsync(200, 1100);
        var layer = await WaitForAsync(() => _layers.Layers.SingleOrDefault(l => l.Pipeline == "sales").Layer, l => l is not null, "the run registers its speed layer");
        await WaitForAsync(() => Task.FromResult(layer!.Metrics.RecordsIn + layer.Metrics.PendingRecords), n => n == _producer.Produced,
            "every produced record is consumed (written or pending)");
        var committed = layer!.Metrics.RecordsIn;
        committed.Should().BeGreaterThan(0).And.BeLessThan(_producer.Produced, "four batches of 300 are written, the remainder is pending");
        (await _stack.RecordsAccountedAsync()).Should().Be(committed, "the merged view and dead letters hold what the written batches had");

        var running = await WaitForAsync(() => GetJobRunAsync(runId), r => r.GetProperty("Metrics").GetProperty("RecordsIn").GetInt64() == committed,
            "the run's metrics reach GetJobRun at the next lease renewal");
        running.GetProperty("JobRunState").GetString().Should().Be("RUNNING");
        running.GetProperty("Metrics").GetProperty("DeadLetters").GetInt64().Should().Be(layer.Metrics.DeadLetters);
        running.GetProperty("Metrics").GetProperty("RecordsOut").GetInt64().Should().Be(layer.Metrics.RowsOut).And.BeGreaterThan(0);

        var stopped = Json(await _host.Boto3Async($$"""
            answer = glue.batch_stop_job_run(JobName="sales-stream", JobRunIds=["{{runId}}", "jr_missing"])
            stopping = glue.get_job_run(JobName="sales-stream", RunId="{{runId}}")["JobRun"]["JobRunState"]
            run = wait_run("sales-stream", "{{runId}}")
            print(json.dumps({"ok": [s["JobRunId"] for s in answer["SuccessfulSubmissions"]],
                              "errors": [[e["JobRunId"], e["ErrorDetail"]["ErrorCode"]] for e in answer["Errors"]],
                              "stopping": stopping, "state": run["JobRunState"], "completed": "CompletedOn" in run}))
            """));
        stopped.GetProperty("ok").GetRawText().Should().Be($"""["{runId}"]""");
        stopped.GetProperty("errors").GetRawText().Should().Be("""[["jr_missing", "EntityNotFoundException"]]""");
        stopped.GetProperty("stopping").GetString().Should().Be("STOPPING", "the host stops the run at its next lease renewal");
        stopped.GetProperty("state").GetString().Should().Be("STOPPED");
        stopped.GetProperty("completed").GetBoolean().Should().BeTrue();

        await _stack.AssertExactAsync(_producer);
        var final = (await GetJobRunAsync(runId)).GetProperty("Metrics");
        final.GetProperty("RecordsIn").GetInt64().Should().Be(_producer.Produced, "the stop wrote the pending records");
        final.GetProperty("DeadLetters").GetInt64().Should().Be(_producer.ExpectedDeadLetters().Count);
        (await _host.Store.GetLogAsync(runId)).Select(l => l.Message).Should().Contain(m =>
            m.StartsWith($"speed layer stopped: {_producer.Produced} records in", StringComparison.Ordinal));
    }

    private async Task<System.Text.Json.JsonElement> GetJobRunAsync(string runId) =>
        (await _host.GlueAsync("GetJobRun", $$"""{"JobName": "sales-stream", "RunId": "{{runId}}"}""")).GetProperty("JobRun");

    private static System.Text.Json.JsonElement Json(string output) => System.Text.Json.JsonDocument.Parse(output).RootElement.Clone();

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, string what) => WaitForAsync(() => Task.FromResult(read()), done, what);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"{what} (last: {value})");
            await Task.Delay(100);
        }
    }
}
