using Streams.Streaming.Kafka;
using Streams.Streaming.Tests.Speed;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// <c>streams stream</c> as a process against the embedded broker (in this test process, reached over TCP),
/// PostgreSQL and the registry: killed with SIGKILL at random points while events flow and restarted, the
/// view must still be exact; SIGTERM must write the pending micro-batch and exit 0.
/// </summary>
public sealed class StreamProcessTests() : StreamProcessTestBase("streams-stream-")
{
    [Fact]
    public async Task Killed_at_random_points_and_restarted_it_counts_every_record_once()
    {
        var spec = WriteSpec(SalesEvents.PipelineYaml);
        var seed = System.Environment.TickCount;
        var random = new Random(seed);
        // The first events register the schema, which the pipeline reads as its reader schema at start;
        // the rest keep flowing for ~25 s (50 every 0.4 s), across the kills and restarts.
        await Producer.ProduceAsync(0, 200);
        var producing = Producer.ProduceAsync(200, 2800, pause: TimeSpan.FromMilliseconds(400));
        for (var crash = 0; crash < 3; crash++)
        {
            await using var process = StreamProcess.Start(spec, ArchiveRollingEnvironment());
            var accounted = await Stack.RecordsAccountedAsync();
            await WaitUntilAsync(process, async () => await Stack.RecordsAccountedAsync() > accounted, TimeSpan.FromSeconds(90),
                $"run {crash} (seed {seed}) should commit something");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2500)));
            await process.KillAsync();
        }

        await producing;
        await using (var last = StreamProcess.Start(spec, ArchiveRollingEnvironment()))
        {
            await WaitUntilAsync(last, async () => await Stack.RecordsAccountedAsync() >= Producer.Produced, TimeSpan.FromSeconds(120),
                $"the last run (seed {seed}) should account for all {Producer.Produced} records");
            (await last.TerminateAsync()).Should().Be(0, last.Stderr);
            last.Stdout.Should().Contain("records consumed");
        }

        await Stack.AssertExactAsync(Producer);
    }

    [Fact]
    public async Task Sigterm_writes_the_pending_micro_batch_and_exits_0()
    {
        // No time bound and no Kafka commit within the test: only the stop can write the micro-batch.
        var spec = WriteSpec(SalesEvents.PipelineYaml.Replace("max_batch_records: 300", "max_batch_records: 100000", StringComparison.Ordinal)
            .Replace("max_batch_interval: 100ms", "max_batch_interval: 1h", StringComparison.Ordinal));
        await Producer.ProduceAsync(0, 180);
        var environment = new Dictionary<string, string>(ArchiveRollingEnvironment()) { ["STREAMS__SPEED__KAFKACOMMITINTERVAL"] = "01:00:00" };
        await using var process = StreamProcess.Start(spec, environment);
        await process.WaitForErrorLineAsync(l => l.Contains($"{Producer.Produced} pending", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        (await Stack.RecordsAccountedAsync()).Should().Be(0, "the micro-batch is still pending");

        (await process.TerminateAsync()).Should().Be(0, process.Stderr);
        await Stack.AssertExactAsync(Producer);
        process.Stdout.Should().MatchRegex(@"records consumed\s+181");
    }

    private string WriteSpec(string yaml)
    {
        var path = Path.Combine(WorkDirectory.FullName, "sales.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

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

    // Archive rolls every second, so kills also land in and around rolls.
    private Dictionary<string, string> ArchiveRollingEnvironment() => ProcessEnvironment(archiveFileAge: TimeSpan.FromSeconds(1));
}
