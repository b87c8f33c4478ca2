using System.IO.Compression;
using System.Text;
using Confluent.Kafka;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines.Specs;
using Streams.Registry.Serdes;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// Glue's serializer wire format through the speed layer on the embedded broker: sales whose values carry Glue's
/// header (version 3, compression 0 or 5, the schema version's UUID), built here from Confluent's serializer's Avro
/// body and the platform's zlib, mixed with Confluent-format sales and with values Streams' own serializer writes in
/// Glue's format; the merged view must count every sale once, and values naming an unknown UUID or compression must be
/// dead letters with that reason.
/// </summary>
public sealed class GlueWireFormatEndToEndTests : IAsyncLifetime
{
    private SpeedStack _stack = null!;
    private SalesEvents _events = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _events = new SalesEvents(_stack.RegistryUrl);
        await _stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
    }

    public async Task DisposeAsync()
    {
        _events.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Glue_framed_sales_uncompressed_and_zlib_fill_the_merged_view_and_unknown_versions_are_dead_letters()
    {
        // Registers v1 under sales-value (Confluent's serializer), so the version and its UUID exist.
        await _events.SerializeAsync(SalesEvents.Make(0));
        var versionId = await _stack.Registry.GetVersionIdAsync(SalesEvents.Topic + "-value", 1);
        var unknown = Guid.NewGuid();
        var ownSerializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            WireFormat = MessageWireFormat.Glue,
            GlueZlib = true,
        });
        var ownSchema = (RecordSchema)AvroSchemaParser.Parse(SalesEvents.SchemaV1);

        using var producer = _stack.Clients.CreateProducer<byte[]?, byte[]?>();
        var sales = new List<Sale>();
        var malformed = new List<(int Partition, long Offset, string Reason)>();
        var kinds = new int[4];
        for (var n = 0L; n < 480; n++)
        {
            var sale = SalesEvents.Make(n);
            var confluent = await _events.SerializeAsync(sale);
            var kind = (int)(n % 4);
            var value = kind switch
            {
                0 => Glue(versionId, GlueWireFormat.NoCompression, confluent[5..]),
                1 => Glue(versionId, GlueWireFormat.ZlibCompression, Zlib(confluent[5..])),
                2 => await ownSerializer.SerializeAsync(Record(ownSchema, sale), new SerializationContext(MessageComponentType.Value, SalesEvents.Topic)),
                _ => confluent,
            };
            kinds[kind]++;
            var partition = (int)(n % 4);
            await producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, partition),
                new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(sale.Customer), Value = value });
            sales.Add(sale);
            if (n % 120 == 7)
            {
                var (bad, reason) = n % 240 == 7
                    ? (Glue(unknown, GlueWireFormat.NoCompression, confluent[5..]), $"Schema version {unknown} (Glue wire format) is not in the registry")
                    : (Glue(versionId, 9, confluent[5..]), "Unknown compression byte 9");
                var result = await producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, partition), new Message<byte[]?, byte[]?> { Value = bad });
                malformed.Add((partition, result.Offset.Value, reason));
            }
        }

        var ownValue = await ownSerializer.SerializeAsync(Record(ownSchema, SalesEvents.Make(1)), new SerializationContext(MessageComponentType.Value, SalesEvents.Topic));
        ownValue[..2].Should().Equal([GlueWireFormat.HeaderVersion, GlueWireFormat.ZlibCompression]);
        Convert.ToHexString(ownValue, 2, 16).Should().Be(versionId.ToString("N").ToUpperInvariant(), "the UUID is written most significant byte first");

        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        using var pipeline = await SpeedPipeline.CreateAsync(spec, _stack.DataSource, _stack.Registry, _stack.Clients, _stack.Topics,
            lake: new Streams.Catalog.Storage.LocalLakeStorage(_stack.Lake.FullName));
        await using (var layer = pipeline.CreateLayer(_stack.LayerOptions()))
        {
            await layer.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (layer.Metrics.RecordsIn < sales.Count + malformed.Count)
            {
                if (layer.Completion.IsFaulted)
                {
                    await layer.Completion;
                }

                DateTime.UtcNow.Should().BeBefore(deadline, $"the speed layer should consume every record; it has {layer.Metrics.RecordsIn}");
                await Task.Delay(100);
            }
        }

        kinds.Should().OnlyContain(k => k == 120);
        (await _stack.ViewRowsAsync()).Should().Equal(Sale.Expected(sales));
        var schemaDeadLetters = (await _stack.DeadLetterRowsAsync()).Where(d => d.Stage == KafkaDeadLetter.SchemaStage).ToList();
        schemaDeadLetters.Select(d => (d.Partition, d.Offset)).Should().Equal(malformed.Select(m => (m.Partition, m.Offset)).Order());
        foreach (var (dead, want) in schemaDeadLetters.Zip(malformed.OrderBy(m => m.Partition).ThenBy(m => m.Offset)))
        {
            dead.Reason.Should().Contain(want.Reason);
        }
    }

    /// <summary>Glue's header written from the UUID's text form (most significant byte first), not by Streams' code.</summary>
    private static byte[] Glue(Guid versionId, byte compression, byte[] body) =>
        [GlueWireFormat.HeaderVersion, compression, .. Convert.FromHexString(versionId.ToString("N")), .. body];

    private static byte[] Zlib(byte[] body)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(body);
        }

        return output.ToArray();
    }

    private static GenericRecord Record(RecordSchema schema, Sale sale)
    {
        var record = new GenericRecord(schema);
        record["id"] = sale.Id;
        record["customer"] = sale.Customer;
        record["amount"] = sale.Amount;
        record["code"] = sale.Code;
        record["ts"] = sale.Ts;
        return record;
    }
}
