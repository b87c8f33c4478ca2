using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Streams.Api.Status;
using Streams.Pipelines.Specs;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;
using Streams.Streaming.Tests.Speed;
using Streams.Testing;

namespace Streams.Streaming.Tests.Status;

/// <summary>
/// What a host reports about its speed layers: /metrics in Prometheus text and /api/status as JSON while a
/// layer runs, and the stored status (PostgreSQL positions against the broker's high offsets) that
/// <c>streams status</c> prints, which holds when no process runs the pipeline.
/// </summary>
public sealed partial class SpeedStatusTests : SalesStreamTestBase
{
    [Fact]
    public async Task Metrics_and_status_report_what_the_layer_committed_and_the_stored_status_shows_the_lag_after_it_stops()
    {
        await Producer.ProduceAsync(0, 600);
        var layers = new SpeedLayerRegistry();
        var kafka = new KafkaOptions { BootstrapServers = Stack.Kafka.BootstrapServers };
        await using var server = await TestWebServer.StartAsync(b => b.Services.AddStatus(kafka, layers), app => app.MapStatus());
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, Stack.DataSource, Stack.Registry, Stack.Clients, Stack.Topics);
        await using (var layer = pipeline.CreateLayer(Stack.LayerOptions()))
        {
            using var registration = layers.Register(spec.Name, layer);
            await layer.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            await ConsumeAllAsync(layer);

            var metrics = await http.GetStringAsync("/metrics");
            var deadLetters = Producer.ExpectedDeadLetters().Count;
            Sample(metrics, "streams_speed_records_in_total", "sales").Should().Be(Producer.Produced);
            Sample(metrics, "streams_speed_dead_letters_total", "sales").Should().Be(deadLetters);
            Sample(metrics, "streams_speed_rows_out_total", "sales").Should().Be(layer.Metrics.RowsOut).And.BePositive();
            Sample(metrics, "streams_speed_batch_records_count", "sales").Should().Be(layer.Metrics.Batches);
            Sample(metrics, "streams_speed_batch_records_sum", "sales").Should().Be(Producer.Produced);
            Sample(metrics, "streams_speed_batch_duration_seconds_count", "sales").Should().Be(layer.Metrics.Batches);
            Sample(metrics, "streams_speed_running", "sales").Should().Be(1);
            metrics.Should().MatchRegex(@"streams_speed_freshness_seconds\{pipeline=""sales"",quantile=""0\.99""\} \d");
            var lags = LagLines().Matches(metrics);
            lags.Select(m => m.Groups[1].Value).Order().Should().Equal("0", "1", "2", "3");
            lags.Should().OnlyContain(m => m.Groups[2].Value == "0", "everything produced is committed");

            var status = (await http.GetFromJsonAsync<JsonObject>("/api/status"))!;
            var reported = status["pipelines"]!.AsArray().Single()!;
            reported["pipeline"]!.GetValue<string>().Should().Be("sales");
            reported["state"]!.GetValue<string>().Should().Be("RUNNING");
            reported["recordsIn"]!.GetValue<long>().Should().Be(Producer.Produced);
            reported["deadLetters"]!.GetValue<long>().Should().Be(deadLetters);
            reported["lag"]!.GetValue<long>().Should().Be(0);
            reported["recordsPerSecond"]!.GetValue<double>().Should().BePositive("the records were committed within the last ten seconds");
            reported["freshnessSeconds"]!["p99"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(reported["freshnessSeconds"]!["p50"]!.GetValue<double>());
            reported["lastCommitAt"].Should().NotBeNull();
            reported["partitions"]!.AsArray().Select(p => p!["nextOffset"]!.GetValue<long>()).Sum()
                .Should().Be(Producer.Produced, "each partition's next offset is its record count");

            // What only the running process measures is in PostgreSQL too, for readers in other processes.
            ReportedMeasures? measures = null;
            // A report made before the first commit has no freshness yet; the next one, two seconds later, has.
            while ((measures = (await SpeedStatusStore.ReportedAsync(Stack.DataSource)).GetValueOrDefault("sales")) is not { FreshnessP50: not null })
            {
                DateTime.UtcNow.Should().BeBefore(deadline.AddSeconds(30), "the layer reports every two seconds");
                await Task.Delay(200);
            }

            measures.Processes.Should().Be(1);
            measures.FreshnessP50.Should().BePositive();
            measures.FreshnessP99.Should().BeGreaterThanOrEqualTo(measures.FreshnessP50!.Value);
            (await SpeedStatusStore.ReadAsync(Stack.DataSource, "sales", null, null)).Single().Reported!.Processes.Should().Be(1);
        }

        (await SpeedStatusStore.ReportedAsync(Stack.DataSource)).Should().NotContainKey("sales", "a stopped layer removes its report");

        (await http.GetStringAsync("/metrics")).Should().NotContain("pipeline=\"sales\"", "a stopped pipeline leaves the page");
        (await http.GetFromJsonAsync<JsonObject>("/api/status"))!["pipelines"]!.AsArray().Should().BeEmpty();

        // Nothing runs now: what PostgreSQL and the broker say is what `streams status` prints.
        var committed = Producer.Produced;
        var committedDeadLetters = Producer.ExpectedDeadLetters().Count;
        await Producer.ProduceAsync(600, 150);
        using var watermarks = new TopicWatermarks(Stack.Clients);
        var stored = (await SpeedStatusStore.ReadAsync(Stack.DataSource, "sales", Stack.Topics, watermarks)).Single();
        stored.Topic.Should().Be("sales");
        stored.Output.Should().Be("sales_per_hour");
        stored.Partitions.Should().HaveCount(4);
        stored.Lag.Should().Be(Producer.Produced - committed);
        stored.DeadLetters.Should().Be(committedDeadLetters);
        stored.LastCommitAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(2));
        (await SpeedStatusStore.ReadAsync(Stack.DataSource, "nope", Stack.Topics, watermarks)).Should().BeEmpty();
    }

    private static double Sample(string metrics, string name, string pipeline)
    {
        var match = Regex.Match(metrics, $@"^{Regex.Escape(name)}\{{pipeline=""{pipeline}""\}} (\S+)$", RegexOptions.Multiline);
        match.Success.Should().BeTrue($"/metrics should have {name} for {pipeline}:\n{metrics}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^streams_speed_consumer_lag_records\{pipeline=""sales"",topic=""sales"",partition=""(\d+)""\} (\S+)$", RegexOptions.Multiline)]
    private static partial Regex LagLines();
}
