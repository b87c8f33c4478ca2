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
public sealed class SpeedCommandsTests : IAsyncLifetime
{
    private SpeedStack _stack = null!;
    private SalesProducer _producer = null!;
    private DirectoryInfo _directory = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _producer = new SalesProducer(_stack);
        _directory = Directory.CreateTempSubdirectory("streams-speed-cli-");
        await _stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
        await _stack.Topics.CreateAsync(new TopicSpec(Streams.Streaming.DeadLetters.DeadLetterTopic.NameOf(SalesEvents.Topic), 4));
    }

    public async Task DisposeAsync()
    {
        _producer.Dispose();
        await _stack.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Stream_serves_metrics_then_status_shows_the_lag_and_dead_letters_replay_after_a_fix()
    {
        var spec = Path.Combine(_directory.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml);
        await _producer.ProduceAsync(0, 400);
        var metricsUrl = $"http://127.0.0.1:{FreePort()}";
        await using (var stream = StreamProcess.Start(spec, Environment(), "--metrics-url", metricsUrl))
        {
            await stream.WaitForErrorLineAsync(l => l.StartsWith("metrics: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            string metrics;
            while (!Regex.IsMatch(metrics = await http.GetStringAsync(metricsUrl + "/metrics"),
                       $@"^streams_speed_records_in_total\{{pipeline=""sales""\}} {_producer.Produced}$", RegexOptions.Multiline))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"/metrics should count {_producer.Produced} records: {metrics}\n{stream.Stderr}");
                await Task.Delay(200);
            }

            (await stream.TerminateAsync()).Should().Be(0, stream.Stderr);
        }

        var deadLetters = _producer.ExpectedDeadLetters().Count;
        var castFailures = _producer.Sales.Count(s => !s.PassesTransforms);
        var committed = _producer.Produced;
        await _producer.ProduceAsync(400, 100);

        var status = await StreamsAsync("status");
        status.Should().MatchRegex($@"sales\s+\|\s+sales\s+\|\s+sales_per_hour\s+\|\s+4\s+\|\s+{_producer.Produced - committed}\s+\|\s+{deadLetters}\s+\|");
        var partitions = (await StreamsAsync("status", "sales", "--format", "csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        partitions[0].Should().Be("pipeline,topic,partition,position,high,lag,dead_letters,last_commit");
        partitions.Skip(1).Select(l => long.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).Sum().Should().Be(_producer.Produced - committed);

        var listed = await StreamsAsync("dead-letters", "sales", "--reason", "CAST", "--format", "csv");
        listed.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + castFailures);
        listed.Should().Contain("sales[").And.Contain("transforms[0] (derive) code_num");

        var fixedSpec = Path.Combine(_directory.FullName, "sales-fixed.yaml");
        await File.WriteAllTextAsync(fixedSpec, SalesEvents.PipelineYaml.Replace("CAST(code AS int)", "CAST(replace(code, 'x', '') AS int)", StringComparison.Ordinal));
        var replay = await StreamsAsync("dead-letters", fixedSpec, "--replay");
        replay.Should().MatchRegex($@"replayed\s+{castFailures}\n").And.MatchRegex($@"still dead\s+{deadLetters - castFailures}\n");
        (await _stack.ScalarAsync<long>("SELECT count(*) FROM serving.sales_dead_letters")).Should().Be(deadLetters - castFailures);
        (await StreamsAsync("status")).Should().MatchRegex($@"\|\s+{deadLetters - castFailures}\s+\|");
    }

    private Task<string> StreamsAsync(params string[] arguments) =>
        ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), .. arguments], workingDirectory: _directory.FullName,
            environment: Environment(), timeout: TimeSpan.FromSeconds(60));

    private Dictionary<string, string> Environment() => new()
    {
        ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _stack.ConnectionString,
        ["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = _stack.Kafka.BootstrapServers,
        ["STREAMS__REGISTRY__URL"] = _stack.RegistryUrl,
        ["STREAMS__LAKE__ROOT"] = _stack.Lake.FullName,
        ["STREAMS__SPEED__SESSIONTIMEOUT"] = "00:00:06",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
