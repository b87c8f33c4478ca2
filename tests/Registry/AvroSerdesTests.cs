using System.Buffers.Binary;
using Confluent.Kafka;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Registry.Client;
using Streams.Registry.Serdes;

namespace Streams.Registry.Tests;

/// <summary>The wire-format serializer and deserializer with the cached client against the real server.</summary>
public sealed class AvroSerdesTests(RegistryServer server) : IClassFixture<RegistryServer>, IDisposable
{
    private const string OrderJson =
        """{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"long"},{"name":"customer","type":"string"}]}""";

    private static readonly RecordSchema Order = (RecordSchema)AvroSchemaParser.Parse(OrderJson);

    private readonly CachedSchemaRegistryClient _client = new(server.BaseUrl);

    public void Dispose() => _client.Dispose();

    private static string Topic() => $"topic{Guid.NewGuid():N}"[..16];

    private static GenericRecord NewOrder(long id, string customer) => new(Order, [id, customer]);

    private static SerializationContext Value(string topic) => new(MessageComponentType.Value, topic);

    [Fact]
    public async Task Round_trips_in_the_confluent_wire_format_with_the_registered_id()
    {
        var topic = Topic();
        var serializer = new AvroSerializer(_client);
        var deserializer = new AvroDeserializer(_client);
        var record = NewOrder(42, "ada");

        var bytes = await serializer.SerializeAsync(record, Value(topic));
        var registered = await server.Registry.GetVersionAsync(topic + "-value", VersionSpec.Latest);
        bytes[0].Should().Be(0);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(registered.Id);
        bytes.AsSpan(5).ToArray().Should().Equal(AvroDatumWriter.For(Order).ToArray(record));

        (await deserializer.DeserializeAsync(bytes, false, Value(topic))).Should().Be(record);
        ((IDeserializer<GenericRecord>)deserializer).Deserialize(bytes, false, Value(topic)).Should().Be(record);
        ((ISerializer<GenericRecord>)serializer).Serialize(record, Value(topic)).Should().Equal(bytes);
        (await serializer.SerializeAsync(null!, Value(topic))).Should().BeNull();
        (await deserializer.DeserializeAsync(ReadOnlyMemory<byte>.Empty, true, Value(topic))).Should().BeNull();
    }

    [Theory]
    [InlineData(SubjectNameStrategy.Topic, MessageComponentType.Value, "{0}-value")]
    [InlineData(SubjectNameStrategy.Topic, MessageComponentType.Key, "{0}-key")]
    [InlineData(SubjectNameStrategy.Record, MessageComponentType.Value, "com.acme.Order")]
    [InlineData(SubjectNameStrategy.TopicRecord, MessageComponentType.Value, "{0}-com.acme.Order")]
    public async Task Subject_name_strategies_name_the_subject(SubjectNameStrategy strategy, MessageComponentType component, string expected)
    {
        var topic = Topic();
        var serializer = new AvroSerializer(_client, new AvroSerializerConfig { SubjectNameStrategy = strategy });
        var bytes = await serializer.SerializeAsync(NewOrder(1, "x"), new SerializationContext(component, topic));
        var subject = string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, topic);
        var registered = await server.Registry.GetVersionAsync(subject, VersionSpec.Latest);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(registered.Id);
    }

    [Fact]
    public async Task Without_auto_registration_the_schema_must_be_registered()
    {
        var topic = Topic();
        var serializer = new AvroSerializer(_client, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var failure = await FluentActions.Awaiting(() => serializer.SerializeAsync(NewOrder(1, "x"), Value(topic)))
            .Should().ThrowAsync<SchemaSerdesException>();
        failure.Which.Topic.Should().Be(topic);
        failure.Which.InnerException.Should().BeOfType<SchemaRegistryException>().Which.ErrorCode.Should().Be(40401);

        var id = (await server.Registry.RegisterAsync(topic + "-value", new SchemaSubmission(OrderJson))).Id;
        var bytes = await serializer.SerializeAsync(NewOrder(1, "x"), Value(topic));
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(id);
    }

    [Fact]
    public async Task Use_latest_version_writes_with_the_subjects_latest_schema()
    {
        var topic = Topic();
        var latestJson =
            """{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"customer","type":"string"},{"name":"id","type":"long"}]}""";
        var latestId = (await server.Registry.RegisterAsync(topic + "-value", new SchemaSubmission(latestJson))).Id;
        var serializer = new AvroSerializer(_client, new AvroSerializerConfig { UseLatestVersion = true });

        var bytes = await serializer.SerializeAsync(NewOrder(7, "bob"), Value(topic));
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(latestId);
        var read = await new AvroDeserializer(_client).DeserializeAsync(bytes, false, Value(topic));
        read.Schema.Fields.Select(f => f.Name).Should().Equal("customer", "id");
        read["id"].Should().Be(7L);
        read["customer"].Should().Be("bob");
        (await server.Registry.GetVersionsAsync(topic + "-value")).Should().HaveCount(1, "nothing is registered");
    }

    [Fact]
    public async Task Deserialization_resolves_the_writer_schema_to_the_reader_schema()
    {
        var topic = Topic();
        var bytes = await new AvroSerializer(_client).SerializeAsync(NewOrder(3, "cy"), Value(topic));
        var reader = (RecordSchema)AvroSchemaParser.Parse(
            """{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"long"},{"name":"note","type":"string","default":"n/a"}]}""");
        var read = await new AvroDeserializer(_client, reader).DeserializeAsync(bytes, false, Value(topic));
        read.Schema.Should().BeSameAs(reader);
        read["id"].Should().Be(3L);
        read["note"].Should().Be("n/a");
    }

    [Fact]
    public async Task Writer_schemas_with_references_are_resolved_through_the_registry()
    {
        var topic = Topic();
        var address = """{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"}]}""";
        var customer = """{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"com.acme.Address"}]}""";
        await server.Registry.RegisterAsync(topic + "-address", new SchemaSubmission(address));
        var (id, _) = await server.Registry.RegisterAsync(topic + "-value",
            new SchemaSubmission(customer, References: [new SchemaReference("com.acme.Address", topic + "-address", 1)]));

        var addressSchema = AvroSchemaParser.Parse(address);
        var customerSchema = (RecordSchema)AvroSchemaParser.Parse(customer, [addressSchema]);
        var home = new GenericRecord((RecordSchema)customerSchema.Fields[0].Schema, ["Oslo"]);
        var payload = AvroDatumWriter.For(customerSchema).ToArray(new GenericRecord(customerSchema, [home]));
        var message = new byte[WireFormat.HeaderSize + payload.Length];
        WireFormat.WriteHeader(message, id);
        payload.CopyTo(message, WireFormat.HeaderSize);

        var read = await new AvroDeserializer(_client).DeserializeAsync(message, false, Value(topic));
        read.Schema.FullName.Should().Be("com.acme.Customer");
        ((GenericRecord)read["home"]!)["city"].Should().Be("Oslo");
    }

    [Fact]
    public async Task Bad_messages_fail_with_typed_exceptions_naming_the_topic()
    {
        var topic = Topic();
        var deserializer = new AvroDeserializer(_client);
        var magic = await FluentActions.Awaiting(() => deserializer.DeserializeAsync(new byte[] { 1, 0, 0, 0, 1, 2 }, false, Value(topic)))
            .Should().ThrowAsync<UnknownMagicByteException>();
        magic.Which.MagicByte.Should().Be(1);
        magic.Which.Topic.Should().Be(topic);
        magic.Which.Message.Should().Contain(topic);

        var unknown = await FluentActions.Awaiting(() => deserializer.DeserializeAsync(new byte[] { 0, 0, 1, 0, 0, 2 }, false, Value(topic)))
            .Should().ThrowAsync<UnknownSchemaIdException>();
        unknown.Which.SchemaId.Should().Be(65536);
        unknown.Which.Topic.Should().Be(topic);

        FluentActions.Invoking(() => ((IDeserializer<GenericRecord>)deserializer).Deserialize(new byte[] { 0, 0 }, false, Value(topic)))
            .Should().Throw<SchemaSerdesException>().WithMessage("*fewer than*");

        var good = await new AvroSerializer(_client).SerializeAsync(NewOrder(1, "truncated"), Value(topic));
        var truncated = good[..^3];
        (await FluentActions.Awaiting(() => deserializer.DeserializeAsync(truncated, false, Value(topic)))
            .Should().ThrowAsync<SchemaSerdesException>()).Which.SchemaId.Should().NotBeNull();

        var wrong = new GenericRecord(Order, [1L, 12]);
        (await FluentActions.Awaiting(() => new AvroSerializer(_client).SerializeAsync(wrong, Value(topic)))
            .Should().ThrowAsync<SchemaSerdesException>()).Which.Message.Should().Contain("customer");
    }
}
