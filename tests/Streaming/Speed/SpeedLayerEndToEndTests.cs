using System.Text;
using Confluent.Kafka;
using Streams.Pipelines.Specs;
using Streams.Streaming.DeadLetters;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// The speed layer end to end on the embedded broker: Confluent's serializer produces sales and malformed
/// records of every kind to a 4-partition topic, before and while the Streamiz application runs; the
/// merged view must equal the aggregates computed here, and the dead letters must be exactly the
/// malformed records, in the table and on the dead-letter topic.
/// </summary>
public sealed class SpeedLayerEndToEndTests : SalesStreamTestBase
{
    [Fact]
    public async Task Fills_the_merged_view_exactly_and_dead_letters_every_malformed_record()
    {
        await Producer.ProduceAsync(0, 1200);
        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, Stack.DataSource, Stack.Registry, Stack.Clients, Stack.Topics,
            lake: new Streams.Catalog.Storage.LocalLakeStorage(Stack.Lake.FullName));
        await using (var layer = pipeline.CreateLayer(Stack.LayerOptions()))
        {
            await layer.StartAsync();
            // More while it runs: the micro-batches must pick them up, not just a backlog.
            await Producer.ProduceAsync(1200, 1200);
            await WaitForAsync(layer, Producer.Produced);
        }

        await Stack.AssertExactAsync(Producer);
        var deadLetters = await Stack.DeadLetterRowsAsync();
        deadLetters.Where(d => d.Stage == KafkaDeadLetter.SchemaStage && d.Reason.Contains("tombstone", StringComparison.Ordinal))
            .Should().OnlyContain(d => d.Value == null, "a tombstone's value is kept as null");
        var onTopic = ReadDeadLetterTopic(deadLetters.Count);
        onTopic.Select(m => (m.Partition, m.Offset)).Order().Should().Equal(deadLetters.Select(d => (d.Partition, d.Offset)));
        onTopic.Should().OnlyContain(m => m.Reason.Length > 0);
    }

    [Fact]
    public async Task A_restarted_layer_resumes_from_PostgreSQL_and_applies_nothing_twice()
    {
        await Producer.ProduceAsync(0, 600);
        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, Stack.DataSource, Stack.Registry, Stack.Clients, Stack.Topics,
            lake: new Streams.Catalog.Storage.LocalLakeStorage(Stack.Lake.FullName));
        await using (var first = pipeline.CreateLayer(Stack.LayerOptions()))
        {
            await first.StartAsync();
            await WaitForAsync(first, Producer.Produced);
        }

        // Kafka's committed offsets are not what the second run trusts: it joins a new group, which has none
        // and so reads every partition from the start.
        await Producer.ProduceAsync(600, 600);
        await using (var second = pipeline.CreateLayer(Stack.LayerOptions() with { ApplicationId = "sales-reset" }))
        {
            await second.StartAsync();
            var before = await Stack.RecordsAccountedAsync();
            await WaitForAsync(second, Producer.Produced - before);
            second.Metrics.SkippedAsCommitted.Should().Be(before, "every record the first run committed is redelivered and skipped");
        }

        await Stack.AssertExactAsync(Producer);
    }

    private static async Task WaitForAsync(SpeedLayer layer, long records)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (layer.Metrics.RecordsIn < records)
        {
            if (layer.Completion.IsFaulted)
            {
                await layer.Completion;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the speed layer should consume {records} records; it has {layer.Metrics.RecordsIn} (state {layer.State})");
            await Task.Delay(100);
        }

        layer.Metrics.RecordsIn.Should().Be(records);
    }

    private List<(int Partition, long Offset, string Reason)> ReadDeadLetterTopic(int expected)
    {
        using var consumer = Stack.Clients.CreateConsumer<Ignore, byte[]?>("dlq-reader-" + Guid.NewGuid().ToString("N"));
        consumer.Subscribe(DeadLetterTopic.NameOf(SalesEvents.Topic));
        var messages = new List<(int, long, string)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (messages.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                string Header(string name) => Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));
                messages.Add((int.Parse(Header("streams.source.partition"), System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(Header("streams.source.offset"), System.Globalization.CultureInfo.InvariantCulture), Header(DeadLetterTopic.ReasonHeader)));
            }
        }

        consumer.Close();
        return messages;
    }
}
