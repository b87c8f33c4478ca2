using Streams.Streaming.Tests.Speed;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// A <c>gluestreaming</c> run on two real <c>streams serve</c> hosts over one PostgreSQL and the embedded broker: it runs
/// on one host at a time; killed with SIGKILL, its host's lease expires and the other host takes the run over, and the
/// merged view is exact (the speed layer's offsets live in PostgreSQL with the rows they produced).
/// </summary>
public sealed class StreamingJobFailoverTests() : StreamProcessTestBase("streams-job-failover-")
{
    [Fact]
    public async Task Killing_the_host_of_a_streaming_run_moves_the_run_to_the_other_host_and_the_view_stays_exact()
    {
        var spec = Path.Combine(WorkDirectory.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml);
        // The first events register the schema, which the pipeline reads as its reader schema when the run starts.
        await Producer.ProduceAsync(0, 200);

        var hosts = new Dictionary<string, ServeProcess>(StringComparer.Ordinal);
        try
        {
            var starting = new[] { "host-a", "host-b" }.Select(async id => (id, await ServeProcess.StartAsync(Stack.ConnectionString, HostEnvironment(id)))).ToList();
            foreach (var (id, host) in await Task.WhenAll(starting))
            {
                hosts[id] = host;
            }

            await hosts["host-a"].GlueAsync("CreateJob", $$$"""
                {"Name": "sales-stream", "Role": "r", "Command": {"Name": "gluestreaming", "ScriptLocation": "{{{spec}}}"}}
                """);
            var runId = (await hosts["host-a"].GlueAsync("StartJobRun", """{"JobName": "sales-stream"}""")).GetProperty("JobRunId").GetString()!;

            // Events keep flowing (50 every 0.3 s, ~18 s) across the kill and the takeover.
            var producing = Producer.ProduceAsync(200, 3000, pause: TimeSpan.FromMilliseconds(300));
            await WaitUntilAsync(async () => await Stack.RecordsAccountedAsync() > 200 && await RunAsync(runId) is { State: "RUNNING", Host: not null, RecordsIn: > 0 },
                "the run starts on one host, commits and reports it at a lease renewal");
            var first = (await RunAsync(runId)).Host!;
            var survivor = first == "host-a" ? "host-b" : "host-a";
            await hosts[first].KillAsync();

            await WaitUntilAsync(async () => (await RunAsync(runId)).Host == survivor, $"{survivor} takes the run over once {first}'s lease expires");
            await producing;
            await WaitUntilAsync(async () => await Stack.RecordsAccountedAsync() >= Producer.Produced,
                $"{survivor} accounts for all {Producer.Produced} records");
            var running = (await hosts[survivor].GlueAsync("GetJobRun", $$"""{"JobName": "sales-stream", "RunId": "{{runId}}"}""")).GetProperty("JobRun");
            running.GetProperty("JobRunState").GetString().Should().Be("RUNNING");
            running.GetProperty("Attempt").GetInt32().Should().Be(0, "a takeover goes on with the same attempt, it is no retry");

            await hosts[survivor].GlueAsync("BatchStopJobRun", $$"""{"JobName": "sales-stream", "JobRunIds": ["{{runId}}"]}""");
            await WaitUntilAsync(async () => (await RunAsync(runId)).State == "STOPPED", "the stop ends the run");
            await Stack.AssertExactAsync(Producer);

            (await Stack.ScalarAsync<long>("SELECT count(*) FROM jobs.runs")).Should().Be(1, "the takeover is the same run");
            var log = new List<string>();
            await using (var command = Stack.DataSource.CreateCommand($"SELECT message FROM jobs.run_logs WHERE run_id = '{runId}' ORDER BY seq"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    log.Add(reader.GetString(0));
                }
            }

            log.Where(l => l.StartsWith("running on host", StringComparison.Ordinal) || l.StartsWith("taken over", StringComparison.Ordinal)).Should().Equal(
                [$"running on host {first}, attempt 0", $"taken over by host {survivor} from host {first}, whose lease expired; attempt 0 runs again"],
                "one host runs it at a time: the survivor starts it only after the first host's lease expired");
            // What the killed host committed after its last lease renewal is in the view but not in its reported metrics.
            var final = await RunAsync(runId);
            final.RecordsIn.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(Producer.Produced);
            log.Should().Contain(l => l.StartsWith($"speed layer stopped: {final.RecordsIn} records in", StringComparison.Ordinal) && l.Contains("on this host"),
                "the survivor goes on counting from the killed host's last report");
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>A host's settings: the stack, and short leases, polls and group sessions (settings every host has, only shorter).</summary>
    private Dictionary<string, string> HostEnvironment(string hostId) => new(ProcessEnvironment())
    {
        ["STREAMS__JOBS__HOSTID"] = hostId,
        ["STREAMS__JOBS__LEASEDURATION"] = "00:00:03",
        ["STREAMS__JOBS__POLLINTERVAL"] = "00:00:00.200",
    };

    private async Task<(string State, string? Host, long RecordsIn)> RunAsync(string runId)
    {
        await using var command = Stack.DataSource.CreateCommand($"SELECT state, host, records_in FROM jobs.runs WHERE id = '{runId}'");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(200);
        }
    }
}
