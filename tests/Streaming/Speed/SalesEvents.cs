using System.Globalization;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using ApacheRecord = Avro.Generic.GenericRecord;
using ApacheRecordSchema = Avro.RecordSchema;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// The test events: sales serialized by Confluent's AvroSerializer (Apache.Avro records, auto-registered),
/// the malformed records of every kind the speed layer must dead-letter, and the aggregates the pipeline
/// should compute, computed here without any Streams code.
/// </summary>
internal sealed class SalesEvents : IDisposable
{
    public const string Topic = "sales";

    public const string SchemaV1 = """
        {"type": "record", "name": "Sale", "namespace": "test.shop", "fields": [
          {"name": "id", "type": "long"},
          {"name": "customer", "type": "string"},
          {"name": "amount", "type": "long"},
          {"name": "code", "type": "string"},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
        """;

    // Compatible with v1 (a new field with a default): readers of v1 ignore it.
    public const string SchemaV2 = """
        {"type": "record", "name": "Sale", "namespace": "test.shop", "fields": [
          {"name": "id", "type": "long"},
          {"name": "customer", "type": "string"},
          {"name": "amount", "type": "long"},
          {"name": "code", "type": "string"},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "channel", "type": "string", "default": "web"}]}
        """;

    public const string PipelineYaml = """
        name: sales
        source:
          kafka:
            topic: sales
            max_batch_records: 300
            max_batch_interval: 100ms
        transforms:
          - derive:
              code_num: CAST(code AS int)
        window:
          type: tumbling
          time: ts
          size: 1h
          watermark_delay: 1d
        aggregate:
          group_by: [customer]
          measures:
            orders: count()
            revenue: sum(amount)
            codes: sum(code_num)
        sinks:
          - serving: sales_per_hour
        """;

    public static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Customers = ["ada", "bob", "cyd", "dee", "eve", "fay", "gus"];

    private readonly Confluent.SchemaRegistry.CachedSchemaRegistryClient _confluent;
    private readonly AvroSerializer<ApacheRecord> _serializer;
    private readonly ApacheRecordSchema _v1 = (ApacheRecordSchema)Avro.Schema.Parse(SchemaV1);
    private readonly ApacheRecordSchema _v2 = (ApacheRecordSchema)Avro.Schema.Parse(SchemaV2);

    public SalesEvents(string registryUrl)
    {
        _confluent = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl });
        _serializer = new AvroSerializer<ApacheRecord>(_confluent, new AvroSerializerConfig { AutoRegisterSchemas = true });
    }

    /// <summary>The sale number <paramref name="n"/>; every 97th has a code the pipeline's CAST rejects.</summary>
    public static Sale Make(long n) => new(
        n,
        Customers[n % Customers.Length],
        100 + (n * 37 % 1000),
        n % 97 == 13 ? "x" + n.ToString(CultureInfo.InvariantCulture) : (n % 10).ToString(CultureInfo.InvariantCulture),
        Start.AddSeconds(n * 7));

    public async Task<byte[]> SerializeAsync(Sale sale, bool v2 = false)
    {
        var record = new ApacheRecord(v2 ? _v2 : _v1);
        record.Add("id", sale.Id);
        record.Add("customer", sale.Customer);
        record.Add("amount", sale.Amount);
        record.Add("code", sale.Code);
        record.Add("ts", sale.Ts);
        if (v2)
        {
            record.Add("channel", "store");
        }

        return await _serializer.SerializeAsync(record, new SerializationContext(MessageComponentType.Value, Topic));
    }

    /// <summary>Records the schema check must reject, each with a fragment of the reason it must give.</summary>
    public async Task<IReadOnlyList<(byte[]? Value, string Reason)>> MalformedAsync(Streams.Registry.Client.ISchemaRegistryClient registry)
    {
        var good = await SerializeAsync(Make(1));
        var otherId = await registry.RegisterSchemaAsync("elsewhere-value", new Streams.Registry.SchemaSubmission(
            """{"type": "record", "name": "Sale", "namespace": "test.shop", "fields": [{"name": "id", "type": "string"}]}""", "AVRO", []));
        var unresolvable = new byte[] { 0, 0, 0, 0, 0, 0x02, (byte)'x' };
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(unresolvable.AsSpan(1, 4), otherId);
        var unknownId = (byte[])good.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(unknownId.AsSpan(1, 4), 424_242);
        var wrongMagic = (byte[])good.Clone();
        wrongMagic[0] = 7;
        return
        [
            (wrongMagic, "magic byte 7"),
            (unknownId, "Schema id 424242 is not in the registry"),
            (good[..(good.Length - 3)], "Malformed Avro data"),
            (unresolvable, "cannot be read as"),
            ([0, 0], "fewer than the wire format's 5-byte header"),
            (null, "tombstone"),
        ];
    }

    public void Dispose()
    {
        _confluent.Dispose();
    }
}
