using Streams.Streaming.Kafka;
using Streams.Streaming.Tests.Speed;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// <c>streams stream</c> as a process against the embedded broker (in this test process, reached over TCP),
/// PostgreSQL and the registry: killed with SIGKILL at random points while events flow and restarted, the
/// view must still be exact; SIGTERM must write the pending micro-batch and exit 0.
/// </summary>
public sealed class StreamProcessTests : IAsyncLifetime
{
    private SpeedStack _stack = null!;
    private SalesProducer _producer = null!;
    private DirectoryInfo _directory = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _producer = new SalesProducer(_stack);
        _directory = Directory.CreateTempSubdirectory("streams-stream-");
        await _stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
        // The broker lives in this test process, so only this process can create topics on it
        // (as with `streams dev`, where `streams topics create` goes through the dev host).
        await _stack.Topics.CreateAsync(new TopicSpec(Streams.Streaming.DeadLetters.DeadLetterTopic.NameOf(SalesEvents.Topic), 4));
    }

    public async Task DisposeAsync()
    {
        _producer.Dispose();
        await _stack.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Killed_at_random_points_and_restarted_it_counts_every_record_once()
    {
        var spec = WriteSpec(SalesEvents.PipelineYaml);
        var seed = System.Environment.TickCount;
        var random = new Random(seed);
        // The first events register the schema, which the pipeline reads as its reader schema at start;
        // the rest keep flowing for ~25 s (50 every 0.4 s), across the kills and restarts.
        await _producer.ProduceAsync(0, 200);
        var producing = _producer.ProduceAsync(200, 2800, pause: TimeSpan.FromMilliseconds(400));
        for (var crash = 0; crash < 3; crash++)
        {
            await using var process = StreamProcess.Start(spec, ProcessEnvironment());
            var accounted = await _stack.RecordsAccountedAsync();
            await WaitUntilAsync(process, async () => await _stack.RecordsAccountedAsync() > accounted, TimeSpan.FromSeconds(90),
                $"run {crash} (seed {seed}) should commit something");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2500)));
            await process.KillAsync();
        }

        await producing;
        await using (var last = StreamProcess.Start(spec, ProcessEnvironment()))
        {
            await WaitUntilAsync(last, async () => await _stack.RecordsAccountedAsync() >= _producer.Produced, TimeSpan.FromSeconds(120),
                $"the last run (seed {seed}) should account for all {_producer.Produced} records");
            (await last.TerminateAsync()).Should().Be(0, last.Stderr);
            last.Stdout.Should().Contain("records consumed");
        }

        await _stack.AssertExactAsync(_producer);
    }

    [Fact]
    public async Task Sigterm_writes_the_pending_micro_batch_and_exits_0()
    {
        // No time bound and no Kafka commit within the test: only the stop can write the micro-batch.
        var spec = WriteSpec(SalesEvents.PipelineYaml.Replace("max_batch_records: 300", "max_batch_records: 100000", StringComparison.Ordinal)
            .Replace("max_batch_interval: 100ms", "max_batch_interval: 1h", StringComparison.Ordinal));
        await _producer.ProduceAsync(0, 180);
        var environment = new Dictionary<string, string>(ProcessEnvironment()) { ["STREAMS__SPEED__KAFKACOMMITINTERVAL"] = "01:00:00" };
        await using var process = StreamProcess.Start(spec, environment);
        await process.WaitForErrorLineAsync(l => l.Contains($"{_producer.Produced} pending", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        (await _stack.RecordsAccountedAsync()).Should().Be(0, "the micro-batch is still pending");

        (await process.TerminateAsync()).Should().Be(0, process.Stderr);
        await _stack.AssertExactAsync(_producer);
        process.Stdout.Should().MatchRegex(@"records consumed\s+181");
    }

    private string WriteSpec(string yaml)
    {
        var path = Path.Combine(_directory.FullName, "sales.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private Dictionary<string, string> ProcessEnvironment() => new()
    {
        ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _stack.ConnectionString,
        ["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = _stack.Kafka.BootstrapServers,
        ["STREAMS__REGISTRY__URL"] = _stack.RegistryUrl,
        ["STREAMS__LAKE__ROOT"] = _stack.Lake.FullName,
        // A killed member holds its partitions until its session times out: keep that short.
        ["STREAMS__SPEED__SESSIONTIMEOUT"] = "00:00:06",
        // Archive rolls every second, so kills also land in and around rolls.
        ["STREAMS__SPEED__ARCHIVEFILEAGE"] = "00:00:01",
    };

    private static async Task WaitUntilAsync(StreamProcess process, Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            process.HasExited.Should().BeFalse($"{because}; streams stream exited: {process.Stderr}");
            DateTime.UtcNow.Should().BeBefore(deadline, $"{because}: {process.Stderr}");
            await Task.Delay(100);
        }
    }
}
