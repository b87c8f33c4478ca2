using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Streams.Streaming.Kafka;
using Streams.Streaming.Tests.Speed;
using Streams.Testing;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// The speed layer's operator commands as processes: <c>streams stream --metrics-url</c> serves /metrics while it
/// runs; after it stops, <c>streams status</c> computes the lag from PostgreSQL and the broker, and
/// <c>streams dead-letters</c> lists the dead letters and replays them through a fixed spec.
/// </summary>
public sealed class SpeedCommandsTests() : StreamProcessTestBase("streams-speed-cli-")
{
    [Fact]
    public async Task Stream_serves_metrics_then_status_shows_the_lag_and_dead_letters_replay_after_a_fix()
    {
        var spec = Path.Combine(WorkDirectory.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml);
        await Producer.ProduceAsync(0, 400);
        var metricsUrl = $"http://127.0.0.1:{FreePort()}";
        await using (var stream = StreamProcess.Start(spec, ProcessEnvironment(), "--metrics-url", metricsUrl))
        {
            await stream.WaitForErrorLineAsync(l => l.StartsWith("metrics: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            string metrics;
            while (!Regex.IsMatch(metrics = await http.GetStringAsync(metricsUrl + "/metrics"),
                       $@"^streams_speed_records_in_total\{{pipeline=""sales""\}} {Producer.Produced}$", RegexOptions.Multiline))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"/metrics should count {Producer.Produced} records: {metrics}\n{stream.Stderr}");
                await Task.Delay(200);
            }

            (await stream.TerminateAsync()).Should().Be(0, stream.Stderr);
        }

        var deadLetters = Producer.ExpectedDeadLetters().Count;
        var castFailures = Producer.Sales.Count(s => !s.PassesTransforms);
        var committed = Producer.Produced;
        await Producer.ProduceAsync(400, 100);

        var status = await StreamsAsync("status");
        status.Should().MatchRegex($@"sales\s+\|\s+sales\s+\|\s+sales_per_hour\s+\|\s+4\s+\|\s+{Producer.Produced - committed}\s+\|\s+{deadLetters}\s+\|");
        var partitions = (await StreamsAsync("status", "sales", "--format", "csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        partitions[0].Should().Be("pipeline,topic,partition,position,high,lag,dead_letters,last_commit");
        partitions.Skip(1).Select(l => long.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).Sum().Should().Be(Producer.Produced - committed);

        var listed = await StreamsAsync("dead-letters", "sales", "--reason", "CAST", "--format", "csv");
        listed.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + castFailures);
        listed.Should().Contain("sales[").And.Contain("transforms[0] (derive) code_num");

        var fixedSpec = Path.Combine(WorkDirectory.FullName, "sales-fixed.yaml");
        await File.WriteAllTextAsync(fixedSpec, SalesEvents.PipelineYaml.Replace("CAST(code AS int)", "CAST(replace(code, 'x', '') AS int)", StringComparison.Ordinal));
        var replay = await StreamsAsync("dead-letters", fixedSpec, "--replay");
        replay.Should().MatchRegex($@"replayed\s+{castFailures}\n").And.MatchRegex($@"still dead\s+{deadLetters - castFailures}\n");
        (await Stack.ScalarAsync<long>("SELECT count(*) FROM serving.sales_dead_letters")).Should().Be(deadLetters - castFailures);
        (await StreamsAsync("status")).Should().MatchRegex($@"\|\s+{deadLetters - castFailures}\s+\|");
    }

    private Task<string> StreamsAsync(params string[] arguments) =>
        ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), .. arguments], workingDirectory: WorkDirectory.FullName,
            environment: ProcessEnvironment(), timeout: TimeSpan.FromSeconds(60));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
