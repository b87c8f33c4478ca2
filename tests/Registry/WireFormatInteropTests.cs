using Confluent.Kafka;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Testing;

namespace Streams.Registry.Tests;

/// <summary>
/// The wire format against independent implementations: Confluent's Python <c>SchemaRegistryClient</c> for the
/// registry calls and Apache Avro's Python library (python3-avro) for the binary encoding, both ways.
/// </summary>
public sealed class WireFormatInteropTests(RegistryServer server) : IClassFixture<RegistryServer>, IDisposable
{
    private const string Schema =
        """{"type":"record","name":"Reading","namespace":"com.acme","fields":[{"name":"sensor","type":"string"},{"name":"value","type":"double"},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"note","type":["null","string"],"default":null}]}""";

    // Encodes with python3-avro under an id registered by Confluent's client and prints the message as hex;
    // or, given a hex message, decodes it with the writer schema fetched by id and prints the datum as JSON.
    private const string Script = """
        import io, json, struct, sys
        import avro.io, avro.schema
        from confluent_kafka.schema_registry import SchemaRegistryClient, Schema

        client = SchemaRegistryClient({"url": sys.argv[1]})
        if sys.argv[2] == "encode":
            schema_id = client.register_schema(sys.argv[3], Schema(sys.argv[4], "AVRO"))
            datum = json.loads(sys.argv[5])
            out = io.BytesIO()
            out.write(struct.pack(">bI", 0, schema_id))
            avro.io.DatumWriter(avro.schema.parse(sys.argv[4])).write(datum, avro.io.BinaryEncoder(out))
            print(out.getvalue().hex())
        else:
            message = bytes.fromhex(sys.argv[3])
            magic, schema_id = struct.unpack(">bI", message[:5])
            assert magic == 0, magic
            writer = avro.schema.parse(client.get_schema(schema_id).schema_str)
            datum = avro.io.DatumReader(writer).read(avro.io.BinaryDecoder(io.BytesIO(message[5:])))
            print(json.dumps({"id": schema_id, "datum": datum}, sort_keys=True))
        """;

    private readonly CachedSchemaRegistryClient _client = new(server.BaseUrl);

    public void Dispose() => _client.Dispose();

    private static Task<string> PythonAsync(params string[] arguments) =>
        ExternalTool.RunAsync(ExternalTool.Python, ["-c", Script, .. arguments], timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Python_avro_messages_deserialize_here()
    {
        var topic = $"py-{Guid.NewGuid():N}";
        var hex = (await PythonAsync(server.BaseUrl, "encode", topic + "-value", Schema,
            """{"sensor": "s-1", "value": 21.5, "tags": ["a", "b"], "note": "calibrated"}""")).Trim();
        var record = await new AvroDeserializer(_client).DeserializeAsync(Convert.FromHexString(hex), false,
            new SerializationContext(MessageComponentType.Value, topic));
        record["sensor"].Should().Be("s-1");
        record["value"].Should().Be(21.5);
        record["tags"].Should().BeEquivalentTo(new[] { "a", "b" });
        record["note"].Should().Be("calibrated");
        (await server.Registry.GetVersionAsync(topic + "-value", VersionSpec.Latest)).Id
            .Should().Be(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(Convert.FromHexString(hex).AsSpan(1, 4)));
    }

    [Fact]
    public async Task Messages_serialized_here_decode_with_python_avro()
    {
        var topic = $"cs-{Guid.NewGuid():N}";
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var record = new GenericRecord(schema, ["s-2", -0.25, new List<object?> { "x" }, null]);
        var bytes = await new AvroSerializer(_client).SerializeAsync(record, new SerializationContext(MessageComponentType.Value, topic));
        var decoded = System.Text.Json.Nodes.JsonNode.Parse(await PythonAsync(server.BaseUrl, "decode", Convert.ToHexString(bytes)))!;
        decoded["id"]!.GetValue<int>().Should().Be((await server.Registry.GetVersionAsync(topic + "-value", VersionSpec.Latest)).Id);
        decoded["datum"]!.ToJsonString().Should().Be("""{"note":null,"sensor":"s-2","tags":["x"],"value":-0.25}""");
    }
}
