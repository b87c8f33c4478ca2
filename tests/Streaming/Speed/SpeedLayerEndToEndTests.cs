using System.Text;
using Confluent.Kafka;
using Streams.Pipelines.Specs;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// The speed layer end to end on the embedded broker: Confluent's serializer produces sales and malformed
/// records of every kind to a 4-partition topic, before and while the Streamiz application runs; the
/// merged view must equal the aggregates computed here, and the dead letters must be exactly the
/// malformed records, in the table and on the dead-letter topic.
/// </summary>
public sealed class SpeedLayerEndToEndTests : IAsyncLifetime
{
    private SpeedStack _stack = null!;
    private SalesEvents _events = null!;
    private IProducer<byte[]?, byte[]?> _producer = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _events = new SalesEvents(_stack.RegistryUrl);
        _producer = _stack.Clients.CreateProducer<byte[]?, byte[]?>();
        await _stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
    }

    public async Task DisposeAsync()
    {
        _producer.Dispose();
        _events.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Fills_the_merged_view_exactly_and_dead_letters_every_malformed_record()
    {
        var sales = new List<Sale>();
        var malformed = new List<(int Partition, long Offset, string Reason)>();
        await ProduceAsync(0, 1200, sales, malformed);

        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, _stack.DataSource, _stack.Registry, _stack.Clients, _stack.Topics);
        await using (var layer = pipeline.CreateLayer(_stack.LayerOptions()))
        {
            await layer.StartAsync();
            // More while it runs: the micro-batches must pick them up, not just a backlog.
            await ProduceAsync(1200, 1200, sales, malformed);
            await WaitForAsync(layer, sales.Count + malformed.Count);
        }

        (await ViewRowsAsync()).Should().Equal(Sale.Expected(sales));
        var deadLetters = await DeadLetterRowsAsync();
        var expectedDead = malformed
            .Select(m => (m.Partition, m.Offset, Stage: KafkaDeadLetter.SchemaStage, m.Reason))
            .Concat(sales.Where(s => !s.PassesTransforms).Select(s => (_positions[s.Id].Partition, _positions[s.Id].Offset, Stage: "transforms[0] (derive) code_num", Reason: "CAST")))
            .OrderBy(d => d.Item1).ThenBy(d => d.Item2)
            .ToList();
        deadLetters.Select(d => $"{d.Partition}@{d.Offset} {d.Stage}").Should().Equal(expectedDead.Select(d => $"{d.Item1}@{d.Item2} {d.Stage}"));
        foreach (var (dead, expected) in deadLetters.Zip(expectedDead))
        {
            dead.Reason.Should().Contain(expected.Reason, $"dead letter {dead.Partition}@{dead.Offset}");
        }

        deadLetters.Should().OnlyContain(d => d.Value == null || d.Value.Length > 0);
        var total = await _stack.ScalarAsync<long>("SELECT sum(orders)::bigint FROM serving.sales_per_hour");
        (total + deadLetters.Count).Should().Be(sales.Count + malformed.Count, "in + dead letters = consumed");

        var onTopic = ReadDeadLetterTopic(deadLetters.Count);
        onTopic.Select(m => (m.Partition, m.Offset)).Order().Should().Equal(deadLetters.Select(d => (d.Partition, d.Offset)));
        onTopic.Should().OnlyContain(m => m.Reason.Length > 0);
    }

    private readonly Dictionary<long, (int Partition, long Offset)> _positions = [];

    private async Task ProduceAsync(long first, int count, List<Sale> sales, List<(int Partition, long Offset, string Reason)> malformed)
    {
        var bad = await _events.MalformedAsync(_stack.Registry);
        for (var n = first; n < first + count; n++)
        {
            var sale = SalesEvents.Make(n);
            var partition = (int)(n % 4);
            var result = await _producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(sale.Customer),
                Value = await _events.SerializeAsync(sale),
            });
            sales.Add(sale);
            _positions[sale.Id] = (partition, result.Offset.Value);
            if (n % 200 == 50)
            {
                var (value, reason) = bad[(int)(n / 200 % bad.Count)];
                var to = (int)(n / 200 % 4);
                var broken = await _producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, to), new Message<byte[]?, byte[]?> { Value = value });
                malformed.Add((to, broken.Offset.Value, reason));
            }
        }
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

    private async Task<List<(string Customer, DateTime Hour, long Orders, long Revenue, long Codes)>> ViewRowsAsync()
    {
        await using var command = _stack.DataSource.CreateCommand(
            "SELECT customer, window_start, orders, revenue, codes FROM serving.sales_per_hour ORDER BY customer COLLATE \"C\", window_start");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, long, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return rows;
    }

    private async Task<List<(int Partition, long Offset, string Stage, string Reason, byte[]? Value)>> DeadLetterRowsAsync()
    {
        await using var command = _stack.DataSource.CreateCommand(
            "SELECT partition, \"offset\", stage, reason, value FROM serving.sales_dead_letters WHERE topic = 'sales' ORDER BY partition, \"offset\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, long, string, string, byte[]?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : (byte[])reader[4]));
        }

        return rows;
    }

    private List<(int Partition, long Offset, string Reason)> ReadDeadLetterTopic(int expected)
    {
        using var consumer = _stack.Clients.CreateConsumer<Ignore, byte[]?>("dlq-reader-" + Guid.NewGuid().ToString("N"));
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
