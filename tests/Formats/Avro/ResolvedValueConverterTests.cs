using Streams.Formats.Avro;
using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class ResolvedValueConverterTests
{
    private static readonly RecordSchema V1 = (RecordSchema)AvroSchemaParser.Parse("""
        {"type":"record","name":"Order","namespace":"com.acme","fields":[
          {"name":"id","type":"int"},
          {"name":"customer","type":"string"},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","LOST"]}},
          {"name":"amount","type":["null","float","string"]},
          {"name":"internal","type":"bytes"},
          {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"qty","type":"int"}]}}},
          {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """);

    private static readonly RecordSchema V2 = (RecordSchema)AvroSchemaParser.Parse("""
        {"type":"record","name":"Order","namespace":"com.acme","fields":[
          {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"id","type":"long"},
          {"name":"buyer","type":"bytes","aliases":["customer"]},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","OTHER"],"default":"OTHER"}},
          {"name":"amount","type":["null","double"]},
          {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"qty","type":"long"},{"name":"sku","type":"string","default":"?"}]}}},
          {"name":"tags","type":{"type":"map","values":"string"},"default":{"k":"v"}}]}
        """);

    private static GenericRecord Order(int id, string status, object? amount)
    {
        var line = (RecordSchema)((ArraySchema)V1.GetField("lines")!.Schema).Items;
        return new GenericRecord(V1, [id, "ann", status, amount, new byte[] { 1 }, new List<object?> { new GenericRecord(line, [3]) },
            new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc)]);
    }

    [Fact]
    public void Converts_a_record_to_the_reader_schema()
    {
        var convert = ResolvedValueConverter.Compile(SchemaResolver.Resolve(V1, V2));

        var result = (GenericRecord)convert(Order(7, "LOST", 1.5f))!;

        result.Schema.Should().BeSameAs(V2);
        result["id"].Should().Be(7L);
        result["buyer"].Should().BeEquivalentTo("ann"u8.ToArray());
        result["status"].Should().Be("OTHER");
        result["amount"].Should().Be(1.5d);
        result["at"].Should().Be(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc));
        var line = ((IReadOnlyList<object?>)result["lines"]!).Single().Should().BeOfType<GenericRecord>().Which;
        line["qty"].Should().Be(3L);
        line["sku"].Should().Be("?");
        result["tags"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["k"] = "v" });

        var again = (GenericRecord)convert(Order(8, "NEW", null))!;
        again["tags"].Should().NotBeSameAs(result["tags"], "mutable defaults are not shared between records");
        again["amount"].Should().BeNull();
    }

    [Fact]
    public void Fails_on_deferred_errors_naming_the_reader_path()
    {
        var convert = ResolvedValueConverter.Compile(SchemaResolver.Resolve(V1, V2));

        var act = () => convert(Order(1, "NEW", "12.5"));

        var e = act.Should().Throw<AvroValueException>().Which;
        e.Path.Should().Be("com.acme.Order.amount");
        e.Reason.Should().Contain("branch 2 (string)");
    }

    [Fact]
    public void Rejects_values_that_are_not_of_the_writer_schema()
    {
        var convert = ResolvedValueConverter.Compile(SchemaResolver.Resolve(V1, V2));
        var record = Order(1, "NEW", null);
        record["status"] = "UNKNOWN";

        var act = () => convert(record);

        act.Should().Throw<AvroValueException>().Which.Path.Should().Be("com.acme.Order.status");
    }

    [Fact]
    public void Converts_recursive_records()
    {
        var list = (RecordSchema)AvroSchemaParser.Parse("""{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}""");
        var wide = (RecordSchema)AvroSchemaParser.Parse("""{"type":"record","name":"L","fields":[{"name":"v","type":"double"},{"name":"next","type":["null","L"]}]}""");
        var convert = ResolvedValueConverter.Compile(SchemaResolver.Resolve(list, wide));

        var result = (GenericRecord)convert(new GenericRecord(list, [1, new GenericRecord(list, [2, null])]))!;

        result["v"].Should().Be(1d);
        ((GenericRecord)result["next"]!)["v"].Should().Be(2d);
    }

    [Fact]
    public void Converting_to_the_same_schema_is_identity()
    {
        var schemas = new RandomSchemaGenerator(seed: 31);
        var values = new RandomValueGenerator(seed: 32);
        for (var i = 0; i < 200; i++)
        {
            var schema = schemas.NextSchema();
            var convert = ResolvedValueConverter.Compile(SchemaResolver.Resolve(schema, schema));
            for (var j = 0; j < 3; j++)
            {
                var value = values.Next(schema);
                ValueEquality.Instance.Equals(convert(value), value).Should().BeTrue(AvroSchemaWriter.ToJson(schema));
            }
        }
    }

    [Fact]
    public void Converted_values_are_values_of_the_reader_schema()
    {
        var schemas = new RandomSchemaGenerator(seed: 33);
        var mutator = new SchemaMutator(seed: 34);
        var values = new RandomValueGenerator(seed: 35);
        var converted = 0;
        for (var i = 0; i < 300; i++)
        {
            var writer = schemas.NextRecord();
            if (mutator.Mutate(writer, 2) is not { } reader || SchemaResolver.Resolve(writer, reader) is not { IsSuccess: true } resolution)
            {
                continue;
            }

            var convert = ResolvedValueConverter.Compile(resolution);
            for (var j = 0; j < 3; j++)
            {
                object? result;
                try
                {
                    result = convert(values.Next(writer));
                }
                catch (AvroValueException) when (resolution.RuntimeErrors.Count > 0 || ReadsBytesAsString(resolution.Root!))
                {
                    continue;
                }

                // The JSON encoder checks every value against the reader's schema. Decoding may move a number to
                // another branch (an int in ["long","int"] is written to the long branch), so compare encodings.
                var json = AvroJsonEncoder.EncodeToString(result, reader);
                AvroJsonEncoder.EncodeToString(AvroJsonDecoder.Decode(json, reader), reader).Should().Be(json);
                converted++;
            }
        }

        converted.Should().BeGreaterThan(200);
    }

    // Random bytes are rarely valid UTF-8, so bytes read as a string may fail.
    private static bool ReadsBytesAsString(ResolutionNode root)
    {
        var seen = new HashSet<ResolutionNode>();
        return Visit(root);

        bool Visit(ResolutionNode node) => seen.Add(node) && node switch
        {
            DirectResolution d => d.Promotion == Promotion.BytesToString,
            RecordResolution r => r.WriterFields.Any(f => f.Resolution is { } n && Visit(n)),
            ArrayResolution a => Visit(a.Items),
            MapResolution m => Visit(m.Values),
            WriterUnionResolution u => u.Branches.Any(Visit),
            ReaderUnionResolution u => Visit(u.Branch),
            _ => false,
        };
    }
}
