using System.Text.Json.Nodes;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroSchemaWriterTests
{
    private const string Full = """
        {"type":"record","name":"Order","namespace":"com.acme","doc":"An order.","aliases":["com.acme.Old","legacy.Order"],
         "fields":[
           {"name":"id","type":{"type":"string","logicalType":"uuid"},"doc":"The id.","order":"descending","aliases":["orderId"],"pii":true},
           {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","DONE"],"default":"NEW","doc":"s","x":[1]},"default":"DONE"},
           {"name":"prev","type":["null","Status"],"default":null},
           {"name":"hash","type":{"type":"fixed","name":"Hash","namespace":"com.acme.crypto","size":16,"aliases":["com.acme.crypto.Digest"]}},
           {"name":"again","type":"com.acme.crypto.Hash"},
           {"name":"price","type":{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":4}},
           {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
           {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[
               {"name":"sku","type":"string","default":"\u00e9\"<>"},
               {"name":"next","type":["null","Line"],"default":null}]}},"default":[]},
           {"name":"attrs","type":{"type":"map","values":{"type":"long","logicalType":"timestamp-millis"},"m":null}},
           {"name":"odd","type":{"type":"string","logicalType":"date"}},
           {"name":"global","type":{"type":"fixed","name":"G","namespace":"","size":1}},
           {"name":"global2","type":"G"},
           {"name":"dur","type":{"type":"fixed","name":"D","size":12,"logicalType":"duration"}},
           {"name":"t","type":{"type":"int","logicalType":"time-millis"},"default":0}
         ],
         "owner":{"team":"sales"}}
        """;

    [Fact]
    public void Round_trips_every_attribute()
    {
        var schema = AvroSchemaParser.Parse(Full);

        var written = AvroSchemaWriter.ToJson(schema);
        var reparsed = AvroSchemaParser.Parse(written);

        AvroSchemaWriter.ToJson(reparsed).Should().Be(written);
        CanonicalForm.Of(reparsed).Should().Be(CanonicalForm.Of(schema));
        JsonNode.DeepEquals(Normalize(JsonNode.Parse(written)), Normalize(JsonNode.Parse(Full))).Should().BeTrue(written);
    }

    [Fact]
    public void Writes_names_relative_to_the_enclosing_namespace()
    {
        var json = AvroSchemaWriter.ToJson(AvroSchemaParser.Parse(Full));
        var root = JsonNode.Parse(json)!.AsObject();
        var fields = root["fields"]!.AsArray();

        root["name"]!.GetValue<string>().Should().Be("Order");
        root["namespace"]!.GetValue<string>().Should().Be("com.acme");
        fields[2]!["type"]![1]!.GetValue<string>().Should().Be("Status");
        fields[3]!["type"]!["namespace"]!.GetValue<string>().Should().Be("com.acme.crypto");
        fields[3]!["type"]!["aliases"]![0]!.GetValue<string>().Should().Be("com.acme.crypto.Digest", "aliases are written in full");
        fields[4]!["type"]!.GetValue<string>().Should().Be("com.acme.crypto.Hash");
        fields[10]!["type"]!["namespace"]!.GetValue<string>().Should().Be("");
        json.Should().Contain("\"é\\\"<>\"", "only what JSON requires is escaped");
    }

    [Fact]
    public void Writes_plain_primitives_as_names()
    {
        AvroSchemaWriter.ToJson(PrimitiveSchema.Long).Should().Be("\"long\"");
        AvroSchemaWriter.ToJson(new UnionSchema([PrimitiveSchema.Null, new PrimitiveSchema(SchemaType.Int, LogicalType.Date)]))
            .Should().Be("""["null",{"type":"int","logicalType":"date"}]""");
    }

    [Fact]
    public void Writes_schemas_built_in_code()
    {
        var node = new RecordSchema(new SchemaName("Node", "t"));
        node.SetFields([
            new Field("value", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(5, 2))),
            new Field("next", UnionSchema.Nullable(node), hasDefault: true),
        ]);

        AvroSchemaWriter.ToJson(node).Should().Be(
            """{"type":"record","name":"Node","namespace":"t","fields":[{"name":"value","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},{"name":"next","type":["null","Node"],"default":null}]}""");
    }

    [Fact]
    public void Refuses_logical_types_invalid_for_their_type()
    {
        var onString = () => AvroSchemaWriter.ToJson(new PrimitiveSchema(SchemaType.String, LogicalType.Date));
        onString.Should().Throw<SchemaException>().WithMessage("The logical type date is not valid on string.");

        var tooPrecise = () => AvroSchemaWriter.ToJson(new FixedSchema(new SchemaName("D", "x"), 4, LogicalType.Decimal(10, 2)));
        tooPrecise.Should().Throw<SchemaException>().Which.Path.Should().Be("x.D");
    }

    [Fact]
    public void Refuses_two_different_definitions_of_one_name()
    {
        var a = new EnumSchema(new SchemaName("E", null), ["A"]);
        var sameAgain = new EnumSchema(new SchemaName("E", null), ["A"], doc: "same symbols");
        var other = new EnumSchema(new SchemaName("E", null), ["B"]);

        AvroSchemaWriter.ToJson(new UnionSchema([new ArraySchema(a), new MapSchema(sameAgain)]))
            .Should().Be("""[{"type":"array","items":{"type":"enum","name":"E","symbols":["A"]}},{"type":"map","values":"E"}]""");
        var act = () => AvroSchemaWriter.ToJson(new UnionSchema([new ArraySchema(a), new MapSchema(other)]));
        act.Should().Throw<SchemaException>().WithMessage("*two different definitions of E*");
        var canonical = () => CanonicalForm.Of(new UnionSchema([new ArraySchema(a), new MapSchema(other)]));
        canonical.Should().Throw<SchemaException>();
    }

    // Sorts object members so that documents compare regardless of member order, and drops the
    // attributes the writer states differently but equivalently ("namespace" folded into names).
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Normalize).ToArray()),
        _ => node?.DeepClone(),
    };
}
