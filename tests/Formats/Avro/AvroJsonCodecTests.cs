using System.Numerics;
using System.Text.Json.Nodes;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroJsonCodecTests
{
    private static readonly Schema Test = AvroSchemaParser.Parse("""
        {"type":"record","name":"Test","namespace":"com.acme","fields":[
          {"name":"a","type":"long"},
          {"name":"b","type":["null","string",{"type":"record","name":"Foo","fields":[{"name":"x","type":"int"}]}]}]}
        """);

    public static TheoryData<string, object?, string> Encodings => new()
    {
        { "\"null\"", null, "null" },
        { "\"boolean\"", true, "true" },
        { "\"int\"", -7, "-7" },
        { "\"long\"", 9_007_199_254_740_993L, "9007199254740993" },
        { "\"float\"", 0.1f, "0.1" },
        { "\"float\"", float.NaN, "\"NaN\"" },
        { "\"double\"", double.NegativeInfinity, "\"-Infinity\"" },
        { "\"double\"", 1e-300, "1E-300" },
        { "\"bytes\"", new byte[] { 0, 0x41, 0x7F, 0x80, 0xFF }, "\"\\u0000A\u007f\u0080ÿ\"" },
        { "\"string\"", "é\"\n", "\"é\\\"\\n\"" },
        { """{"type":"enum","name":"E","symbols":["A","B"]}""", "B", "\"B\"" },
        { """{"type":"fixed","name":"F","size":2}""", new byte[] { 1, 0xE9 }, "\"\\u0001é\"" },
        { """{"type":"array","items":["null","int"]}""", new List<object?> { 1, null }, "[{\"int\":1},null]" },
        { """{"type":"map","values":"string"}""", new Dictionary<string, object?> { ["k"] = "v" }, "{\"k\":\"v\"}" },
        { """["null","string"]""", "a", "{\"string\":\"a\"}" },
        { """["null","string"]""", null, "null" },
        { """["long","double"]""", 5, "{\"long\":5}" },
        { """["string","double"]""", 5, "{\"double\":5}" },
        { """{"type":"int","logicalType":"date"}""", new DateOnly(2024, 2, 29), "19782" },
        { """{"type":"int","logicalType":"time-millis"}""", new TimeOnly(1, 2, 3, 4), "3723004" },
        { """{"type":"long","logicalType":"time-micros"}""", new TimeOnly(0, 0, 1, 0, 5), "1000005" },
        { """{"type":"long","logicalType":"timestamp-millis"}""", new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc), "-1" },
        { """{"type":"long","logicalType":"timestamp-micros"}""", new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), "946684800000001" },
        { """{"type":"long","logicalType":"local-timestamp-millis"}""", new DateTime(1970, 1, 1, 0, 0, 1), "1000" },
        { """{"type":"long","logicalType":"timestamp-nanos"}""", 1_700_000_000_123_456_789L, "1700000000123456789" },
        { """{"type":"string","logicalType":"uuid"}""", Guid.Parse("123e4567-e89b-12d3-a456-426614174000"), "\"123e4567-e89b-12d3-a456-426614174000\"" },
        { """{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}""", new DecimalValue(-1, 2), "\"ÿ\"" },
        { """{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}""", new DecimalValue(256, 2), "\"\\u0001\\u0000\"" },
        { """{"type":"fixed","name":"D","size":3,"logicalType":"decimal","precision":5,"scale":1}""", new DecimalValue(-2, 1), "\"ÿÿþ\"" },
        { """{"type":"fixed","name":"D","size":12,"logicalType":"duration"}""", new DurationValue(1, 2, 3), "\"\\u0001\\u0000\\u0000\\u0000\\u0002\\u0000\\u0000\\u0000\\u0003\\u0000\\u0000\\u0000\"" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encodes_and_decodes_per_the_specification(string schemaJson, object? value, string json)
    {
        var schema = AvroSchemaParser.Parse(schemaJson);

        var encoded = AvroJsonEncoder.Encode(value, schema);
        JsonNode.DeepEquals(encoded, JsonNode.Parse(json)).Should().BeTrue($"{encoded?.ToJsonString()} should be {json}");

        var decoded = AvroJsonDecoder.Decode(json, schema);
        var expected = value switch
        {
            int i when schema is UnionSchema u && u.Branches.Any(b => b.Type == SchemaType.Long) => (object)(long)i,
            int i when schema is UnionSchema => (double)i,
            _ => value,
        };
        ValueEquality.Instance.Equals(decoded, expected).Should().BeTrue($"{ValueEquality.Format(decoded)} should be {ValueEquality.Format(expected)}");
    }

    [Fact]
    public void Encodes_the_specification_example()
    {
        var foo = (RecordSchema)AvroSchemaParser.NamedTypes(Test).Single(n => n.Name.Name == "Foo");
        var record = new GenericRecord((RecordSchema)Test, [27L, new GenericRecord(foo, [3])]);

        AvroJsonEncoder.EncodeToString(record, Test).Should().Be("""{"a":27,"b":{"com.acme.Foo":{"x":3}}}""");
        AvroJsonDecoder.Decode("""{"a":27,"b":{"string":"foo"}}""", Test)
            .Should().Be(new GenericRecord((RecordSchema)Test, [27L, "foo"]));
    }

    [Fact]
    public void Timestamps_drop_sub_unit_ticks_towards_the_past()
    {
        var millis = AvroSchemaParser.Parse("""{"type":"long","logicalType":"timestamp-millis"}""");

        AvroJsonEncoder.EncodeToString(DateTime.UnixEpoch.AddTicks(-1), millis).Should().Be("-1");
        AvroJsonEncoder.EncodeToString(DateTime.UnixEpoch.AddTicks(9_999), millis).Should().Be("0");
    }

    [Fact]
    public void Decimals_are_rescaled_to_the_schema_scale_when_no_digit_is_lost()
    {
        var schema = AvroSchemaParser.Parse("""{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}""");

        AvroJsonDecoder.Decode(AvroJsonEncoder.Encode(DecimalValue.Parse("1.5"), schema), schema)
            .Should().Be(new DecimalValue(150, 2));
        AvroJsonDecoder.Decode(AvroJsonEncoder.Encode(12.30m, schema), schema).Should().Be(new DecimalValue(1230, 2));

        var tooPrecise = () => AvroJsonEncoder.Encode(DecimalValue.Parse("1.234"), schema);
        tooPrecise.Should().Throw<AvroValueException>().WithMessage("*more than 2 fractional digits*");
        var tooLarge = () => AvroJsonEncoder.Encode(DecimalValue.Parse("100.00"), schema);
        tooLarge.Should().Throw<AvroValueException>().WithMessage("*more than 4 digits*");
    }

    [Fact]
    public void Large_decimals_keep_every_digit()
    {
        var schema = AvroSchemaParser.Parse("""{"type":"fixed","name":"D","size":16,"logicalType":"decimal","precision":38,"scale":10}""");
        var value = new DecimalValue(BigInteger.Parse("-99999999999999999999999999999999999999"), 10);

        AvroJsonDecoder.Decode(AvroJsonEncoder.Encode(value, schema), schema).Should().Be(value);
    }

    [Fact]
    public void Uuid_on_fixed_uses_the_rfc_4122_byte_order()
    {
        var schema = AvroSchemaParser.Parse("""{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}""");
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var json = AvroJsonEncoder.Encode(guid, schema)!.GetValue<string>();

        json.Select(c => (int)c).Should().Equal(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
        AvroJsonDecoder.Decode(JsonValue.Create(json), schema).Should().Be(guid);
    }

    public static TheoryData<string, string, string, string> BadJson => new()
    {
        { "\"int\"", "2147483648", "", "integer within the range of int" },
        { "\"int\"", "1.0", "", "integer within the range of int" },
        { "\"float\"", "1e39", "", "outside the range of float" },
        { "\"bytes\"", "\"\\u0100\"", "", "U+0100 at index 0" },
        { """{"type":"fixed","name":"F","size":2}""", "\"a\"", "", "string of 2 characters" },
        { """["null","string"]""", "\"x\"", "", "JSON object with one member" },
        { """["null","string"]""", "{\"int\":1}", "", "'int' names no branch" },
        { """["null","string"]""", "{\"null\":null}", "", "encoded as JSON null" },
        { "\"string\"", "null", "", "null is not a value of string" },
        { """{"type":"int","logicalType":"time-millis"}""", "86400000", "", "not a time of day" },
        { """{"type":"long","logicalType":"timestamp-micros"}""", "9223372036854775807", "", "outside the years 1 to 9999" },
        { """{"type":"string","logicalType":"uuid"}""", "\"123\"", "", "not a UUID" },
        { """{"type":"array","items":{"type":"map","values":"int"}}""", "[{},{\"k\":\"v\"}]", "[1]{\"k\"}", "not a value of int" },
        { """{"type":"record","name":"com.acme.Order","fields":[{"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"price","type":"double"}]}}}]}""", "{\"lines\":[{\"price\":1},{}]}", "lines[1].price", "Field 'price' of com.acme.Line is missing" },
        { """{"type":"record","name":"R","fields":[]}""", "{\"extra\":1}", "extra", "has no field 'extra'" },
        { """{"type":"record","name":"R","fields":[{"name":"u","type":["null",{"type":"enum","name":"E","symbols":["A"]}]}]}""", "{\"u\":{\"E\":\"B\"}}", "u<1>", "\"B\" is not a symbol of enum E" },
        { "\"int\"", "{", "", "Not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadJson))]
    public void Rejects_invalid_json_naming_the_value(string schemaJson, string json, string path, string message)
    {
        var act = () => AvroJsonDecoder.Decode(json, AvroSchemaParser.Parse(schemaJson));

        var e = act.Should().Throw<AvroValueException>().Which;
        e.Path.Should().Be(path);
        e.Reason.Should().Contain(message);
    }

    [Fact]
    public void Rejects_values_that_do_not_fit_naming_the_value()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"R","fields":[
              {"name":"tags","type":{"type":"map","values":["null","int"]}},
              {"name":"f","type":{"type":"fixed","name":"F","size":2}}]}
            """);

        var wrongBranch = () => AvroJsonEncoder.Encode(new GenericRecord(schema, [new Dictionary<string, object?> { ["a"] = "x" }, new byte[2]]), schema);
        wrongBranch.Should().Throw<AvroValueException>().Which.Path.Should().Be("tags{\"a\"}");

        var wrongSize = () => AvroJsonEncoder.Encode(new GenericRecord(schema, [new Dictionary<string, object?>(), new byte[3]]), schema);
        wrongSize.Should().Throw<AvroValueException>().Which.Reason.Should().Contain("must have 2 bytes, not 3");

        var notARecord = () => AvroJsonEncoder.Encode("x", schema);
        notARecord.Should().Throw<AvroValueException>().Which.Reason.Should().Contain("expected GenericRecord of R");
    }

    [Fact]
    public void Defaults_use_the_first_union_branch_unwrapped()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"R","fields":[
              {"name":"n","type":["null","int"],"default":null},
              {"name":"i","type":["int","null"],"default":4},
              {"name":"inner","type":{"type":"record","name":"I","fields":[
                  {"name":"u","type":["string","null"],"default":"d"},{"name":"v","type":"long"}]},
               "default":{"v":2}},
              {"name":"when","type":{"type":"long","logicalType":"timestamp-millis"},"default":1000}]}
            """);

        AvroJsonDecoder.DefaultValue(schema.Fields[0]).Should().BeNull();
        AvroJsonDecoder.DefaultValue(schema.Fields[1]).Should().Be(4);
        var inner = AvroJsonDecoder.DefaultValue(schema.Fields[2]).Should().BeOfType<GenericRecord>().Which;
        inner["u"].Should().Be("d", "a record default omitting a field takes that field's default");
        inner["v"].Should().Be(2L);
        AvroJsonDecoder.DefaultValue(schema.Fields[3]).Should().Be(new DateTime(1970, 1, 1, 0, 0, 1, DateTimeKind.Utc));

        AvroJsonEncoder.EncodeDefault(4, schema.Fields[1].Schema)!.GetValue<int>().Should().Be(4);
        var notFirst = () => AvroJsonEncoder.EncodeDefault(null, schema.Fields[1].Schema);
        notFirst.Should().Throw<AvroValueException>().WithMessage("*first branch*");
        var noDefault = () => AvroJsonDecoder.DefaultValue(((RecordSchema)schema.Fields[2].Schema).Fields[1]);
        noDefault.Should().Throw<InvalidOperationException>();
    }
}
