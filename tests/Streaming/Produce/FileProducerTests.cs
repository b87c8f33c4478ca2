using Confluent.Kafka;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Registry.Serdes;
using Streams.Streaming.Kafka;
using Streams.Streaming.Produce;
using Streams.Streaming.Tests.Speed;

namespace Streams.Streaming.Tests.Produce;

/// <summary>
/// <see cref="FileProducer"/> on the embedded broker: the bytes it sends are the serializer's, keys included, and a record
/// the broker does not take is named one by one (refused at hand-over, or reported undelivered by librdkafka later).
/// </summary>
public sealed class FileProducerTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"record","name":"Click","namespace":"test","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"note","type":["null","string"],"default":null}]}
        """;

    private SpeedStack _stack = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _directory = Directory.CreateTempSubdirectory("streams-produce-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sends_the_serializers_bytes_with_keys_across_batches_and_counts_what_was_delivered()
    {
        _stack.Kafka.CreateTopic("clicks", 4, 1);
        var lines = Enumerable.Range(1, 2500).Select(i => $$"""{"id":{{i}},"user":"u{{i % 7}}"{{(i % 2 == 0 ? ",\"note\":\"n\"" : "")}}}""");
        var file = Write("clicks.jsonl", string.Join("\n", lines));
        var rejected = new List<RejectedRecord>();

        var produced = await Producer().ProduceAsync(Options("clicks", file) with { KeyField = "user" }, rejected.Add);

        rejected.Should().BeEmpty();
        produced.Records.Should().Be(2500);
        produced.Failed.Should().Be(0);
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, "clicks");
        var expected = Enumerable.Range(1, 2500).Select(i => (Key: $"u{i % 7}",
            Value: serializer.Serialize(new GenericRecord(schema, [(long)i, $"u{i % 7}", i % 2 == 0 ? "n" : null]), context))).ToList();
        var messages = Read("clicks", 2500);
        // As sorted text: an unordered equivalence of 2,500 byte arrays is quadratic.
        messages.Select(m => System.Text.Encoding.UTF8.GetString(m.Key!) + " " + Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal)
            .Should().Equal(expected.Select(e => e.Key + " " + Convert.ToHexString(e.Value)).Order(StringComparer.Ordinal));
        produced.Bytes.Should().Be(expected.Sum(e => e.Key.Length + e.Value.Length));
    }

    [Fact]
    public async Task A_message_librdkafka_refuses_at_once_is_named_and_the_rest_go()
    {
        _stack.Kafka.CreateTopic("sized", 1, 1);
        var file = Write("sized.jsonl", $$"""
            {"id":1,"user":"ada"}
            {"id":2,"user":"{{new string('x', 5000)}}"}
            {"id":3,"user":"bob"}
            """);
        var rejected = new List<RejectedRecord>();
        var clients = new KafkaClientFactory(new KafkaOptions
        {
            BootstrapServers = _stack.Kafka.BootstrapServers,
            Properties = { ["message.max.bytes"] = "2000" },
        });

        var produced = await new FileProducer(clients, _stack.Registry).ProduceAsync(Options("sized", file), rejected.Add);

        produced.Records.Should().Be(2);
        produced.Failed.Should().Be(1);
        produced.Rejected.Should().Be(0, "the record fits the schema; the broker's limit refused it");
        rejected.Should().ContainSingle().Which.Should().Match<RejectedRecord>(r =>
            r.Undelivered && r.Position == "record 2" && r.Reason.StartsWith("not delivered: ", StringComparison.Ordinal));
        Read("sized", 2).Select(m => m.Value.Length).Should().OnlyContain(length => length < 100);
    }

    [Fact]
    public async Task Messages_that_time_out_in_librdkafka_are_each_reported_undelivered_with_their_record()
    {
        // A partition without a leader takes nothing: librdkafka keeps the messages until message.timeout.ms, then fails
        // each through its delivery report, the only reports this producer asks for.
        _stack.Kafka.CreateTopic("leaderless", 1, 1);
        _stack.Kafka.SetPartitionLeader("leaderless", 0, -1);
        var file = Write("leaderless.jsonl", """
            {"id":1,"user":"ada"}
            {"id":2,"user":"bob"}
            {"id":3,"user":"cy"}
            """);
        var rejected = new List<RejectedRecord>();
        var clients = new KafkaClientFactory(new KafkaOptions
        {
            BootstrapServers = _stack.Kafka.BootstrapServers,
            Properties = { ["message.timeout.ms"] = "1500" },
        });

        // Keyed, so that the partitioner picks the leaderless partition rather than refusing at once.
        var produced = await new FileProducer(clients, _stack.Registry).ProduceAsync(Options("leaderless", file) with { KeyField = "user" },
            rejected.Add);

        produced.Records.Should().Be(0);
        produced.Bytes.Should().Be(0);
        produced.Failed.Should().Be(3);
        produced.FirstFailure.Should().Contain("timed out");
        rejected.Select(r => (r.Undelivered, r.Position)).Should().BeEquivalentTo(new[] { (true, "record 1"), (true, "record 2"), (true, "record 3") });
        rejected.Should().OnlyContain(r => r.File == file && r.Reason.Contains("timed out"));
    }

    private FileProducer Producer() => new(_stack.Clients, _stack.Registry);

    private FileProduceOptions Options(string topic, string file) =>
        new() { Topic = topic, FilePath = file, SchemaFile = Write(topic + ".avsc", Schema) };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private List<Message<byte[]?, byte[]>> Read(string topic, int count)
    {
        using var consumer = _stack.Clients.CreateConsumer<byte[]?, byte[]>("readers-" + topic);
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (messages.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result.Message);
            }
        }

        consumer.Close();
        return messages;
    }
}
