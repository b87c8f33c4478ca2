using System.Text.Json.Nodes;
using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroSchemaParserTests
{
    [Theory]
    [InlineData("\"null\"", SchemaType.Null)]
    [InlineData("\"boolean\"", SchemaType.Boolean)]
    [InlineData("\"int\"", SchemaType.Int)]
    [InlineData("\"long\"", SchemaType.Long)]
    [InlineData("\"float\"", SchemaType.Float)]
    [InlineData("\"double\"", SchemaType.Double)]
    [InlineData("\"bytes\"", SchemaType.Bytes)]
    [InlineData("\"string\"", SchemaType.String)]
    [InlineData("{\"type\":\"string\"}", SchemaType.String)]
    public void Parses_primitives_to_the_shared_instances(string json, SchemaType type)
    {
        var schema = AvroSchemaParser.Parse(json);

        schema.Should().BeSameAs(PrimitiveSchema.Of(type));
    }

    [Fact]
    public void Parses_a_record_with_every_attribute()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Order","namespace":"com.acme","doc":"An order.","aliases":["Old","legacy.Order"],
             "owner":"sales","fields":[
               {"name":"id","type":"long","doc":"The id.","order":"descending","aliases":["orderId"],"pii":false},
               {"name":"note","type":["null","string"],"default":null},
               {"name":"tags","type":{"type":"map","values":"string","x-map":1},"default":{"a":"b"}},
               {"name":"lines","type":{"type":"array","items":"int"},"default":[1,2],"order":"ignore"}
            ]}
            """);

        schema.FullName.Should().Be("com.acme.Order");
        schema.Doc.Should().Be("An order.");
        schema.Aliases.Select(a => a.FullName).Should().Equal("com.acme.Old", "legacy.Order");
        schema.Properties.Should().ContainKey("owner").WhoseValue!.GetValue<string>().Should().Be("sales");
        schema.IsError.Should().BeFalse();

        var id = schema.Fields[0];
        id.Doc.Should().Be("The id.");
        id.Order.Should().Be(SortOrder.Descending);
        id.Aliases.Should().Equal("orderId");
        id.Properties.Should().ContainKey("pii");
        id.HasDefault.Should().BeFalse();

        schema.Fields[1].HasDefault.Should().BeTrue();
        schema.Fields[1].Default.Should().BeNull();
        schema.Fields[1].Schema.NonNullBranch.Should().BeSameAs(PrimitiveSchema.String);
        ((MapSchema)schema.Fields[2].Schema).Properties.Should().ContainKey("x-map");
        AvroJsonDecoder.DefaultValue(schema.Fields[2]).Should().BeEquivalentTo(new Dictionary<string, object?> { ["a"] = "b" });
        AvroJsonDecoder.DefaultValue(schema.Fields[3]).Should().BeEquivalentTo(new List<object?> { 1, 2 });
        schema.Fields[3].Order.Should().Be(SortOrder.Ignore);
    }

    [Fact]
    public void Resolves_names_against_the_enclosing_namespace()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Outer","namespace":"a.b","fields":[
              {"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},
              {"name":"f","type":{"type":"fixed","name":"c.d.F","size":2}},
              {"name":"g","type":{"type":"record","name":"G","namespace":"x","fields":[
                 {"name":"inner","type":{"type":"enum","name":"E","symbols":["Y"]}},
                 {"name":"outerE","type":"a.b.E"},
                 {"name":"innerE","type":"E"}]}},
              {"name":"e2","type":"E"},
              {"name":"f2","type":"c.d.F"},
              {"name":"n","type":{"type":"fixed","name":"N","namespace":"","size":1}},
              {"name":"n2","type":"N"}
            ]}
            """);

        var e = (EnumSchema)schema.Fields[0].Schema;
        e.FullName.Should().Be("a.b.E");
        ((FixedSchema)schema.Fields[1].Schema).FullName.Should().Be("c.d.F");
        var g = (RecordSchema)schema.Fields[2].Schema;
        g.FullName.Should().Be("x.G");
        ((EnumSchema)g.Fields[0].Schema).FullName.Should().Be("x.E");
        g.Fields[1].Schema.Should().BeSameAs(e);
        g.Fields[2].Schema.Should().BeSameAs(g.Fields[0].Schema);
        schema.Fields[3].Schema.Should().BeSameAs(e);
        schema.Fields[4].Schema.Should().BeSameAs(schema.Fields[1].Schema);
        var n = (FixedSchema)schema.Fields[5].Schema;
        n.Name.Namespace.Should().BeNull();
        schema.Fields[6].Schema.Should().BeSameAs(n, "a simple name with no type in the enclosing namespace falls back to the null namespace");
    }

    [Fact]
    public void Parses_recursive_types()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Node","fields":[
              {"name":"value","type":"int"},
              {"name":"next","type":["null","Node"],"default":null},
              {"name":"children","type":{"type":"array","items":"Node"},"default":[]}]}
            """);

        ((UnionSchema)schema.Fields[1].Schema).Branches[1].Should().BeSameAs(schema);
        ((ArraySchema)schema.Fields[2].Schema).Items.Should().BeSameAs(schema);
    }

    [Fact]
    public void Validates_a_record_default_of_a_recursive_type()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Node","fields":[
              {"name":"next","type":["null","Node"],"default":null},
              {"name":"first","type":{"type":"record","name":"Wrapper","fields":[{"name":"n","type":["null","Node"]}]},
               "default":{"n":null}}]}
            """);

        AvroJsonDecoder.DefaultValue(schema.Fields[1]).Should().BeOfType<GenericRecord>()
            .Which["n"].Should().BeNull();
    }

    [Fact]
    public void Parses_errors_enums_and_fixed()
    {
        var error = (RecordSchema)AvroSchemaParser.Parse("""{"type":"error","name":"Oops","fields":[{"name":"m","type":"string"}]}""");
        var e = (EnumSchema)AvroSchemaParser.Parse("""{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS"],"default":"HEARTS","doc":"d"}""");
        var f = (FixedSchema)AvroSchemaParser.Parse("""{"type":"fixed","name":"md5","size":16,"aliases":["x.Hash"]}""");

        error.IsError.Should().BeTrue();
        e.Symbols.Should().Equal("SPADES", "HEARTS");
        e.Default.Should().Be("HEARTS");
        e.Doc.Should().Be("d");
        f.Size.Should().Be(16);
        f.Aliases.Single().FullName.Should().Be("x.Hash");
    }

    [Theory]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":10,"scale":3}""", "decimal", 10, 3)]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":4}""", "decimal", 4, 0)]
    [InlineData("""{"type":"fixed","name":"d","size":8,"logicalType":"decimal","precision":18,"scale":18}""", "decimal", 18, 18)]
    [InlineData("""{"type":"string","logicalType":"uuid"}""", "uuid", 0, 0)]
    [InlineData("""{"type":"fixed","name":"u","size":16,"logicalType":"uuid"}""", "uuid", 0, 0)]
    [InlineData("""{"type":"int","logicalType":"date"}""", "date", 0, 0)]
    [InlineData("""{"type":"int","logicalType":"time-millis"}""", "time-millis", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"time-micros"}""", "time-micros", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"timestamp-millis"}""", "timestamp-millis", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"timestamp-micros"}""", "timestamp-micros", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"timestamp-nanos"}""", "timestamp-nanos", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"local-timestamp-millis"}""", "local-timestamp-millis", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"local-timestamp-micros"}""", "local-timestamp-micros", 0, 0)]
    [InlineData("""{"type":"long","logicalType":"local-timestamp-nanos"}""", "local-timestamp-nanos", 0, 0)]
    [InlineData("""{"type":"fixed","name":"d","size":12,"logicalType":"duration"}""", "duration", 0, 0)]
    public void Parses_valid_logical_types(string json, string name, int precision, int scale)
    {
        var schema = AvroSchemaParser.Parse(json);

        schema.LogicalType.Should().Be(new LogicalType(name, precision, scale));
        schema.Properties.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"type":"string","logicalType":"date"}""")]
    [InlineData("""{"type":"long","logicalType":"date"}""")]
    [InlineData("""{"type":"int","logicalType":"timestamp-millis"}""")]
    [InlineData("""{"type":"long","logicalType":"time-millis"}""")]
    [InlineData("""{"type":"int","logicalType":"time-micros"}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":0}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":-2}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":2,"scale":-1}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal","precision":2.5}""")]
    [InlineData("""{"type":"bytes","logicalType":"decimal"}""")]
    [InlineData("""{"type":"fixed","name":"d","size":8,"logicalType":"decimal","precision":19}""")]
    [InlineData("""{"type":"fixed","name":"d","size":15,"logicalType":"uuid"}""")]
    [InlineData("""{"type":"bytes","logicalType":"uuid"}""")]
    [InlineData("""{"type":"fixed","name":"d","size":16,"logicalType":"duration"}""")]
    [InlineData("""{"type":"int","logicalType":"my-own-type"}""")]
    [InlineData("""{"type":"string","logicalType":5}""")]
    public void Ignores_invalid_logical_types_but_keeps_their_attributes(string json)
    {
        var schema = AvroSchemaParser.Parse(json);

        schema.LogicalType.Should().BeNull();
        schema.Properties.Should().ContainKey("logicalType");
        AvroSchemaParser.Parse(AvroSchemaWriter.ToJson(schema)).Properties.Keys
            .Should().BeEquivalentTo(JsonNode.Parse(json)!.AsObject().Select(p => p.Key).Except(["type", "name", "size"]));
    }

    [Fact]
    public void Decimal_fixed_precision_limit_follows_the_specification()
    {
        // floor(log10(2^(8n-1) - 1)): 2 for 1 byte, 4 for 2 bytes, 9 for 4, 18 for 8, 38 for 16.
        int[] expected = [0, 2, 4, 6, 9, 11, 14, 16, 18];
        for (var size = 0; size < expected.Length; size++)
        {
            var json = $$"""{"type":"fixed","name":"d","size":{{size}},"logicalType":"decimal","precision":{{Math.Max(1, expected[size])}}}""";
            AvroSchemaParser.Parse(json).LogicalType.Should().Be(size == 0 ? null : LogicalType.Decimal(expected[size], 0), $"size {size}");
            var over = $$"""{"type":"fixed","name":"d","size":{{size}},"logicalType":"decimal","precision":{{expected[size] + 1}}}""";
            AvroSchemaParser.Parse(over).LogicalType.Should().BeNull($"size {size}");
        }

        AvroSchemaParser.Parse("""{"type":"fixed","name":"d","size":16,"logicalType":"decimal","precision":38}""").LogicalType
            .Should().Be(LogicalType.Decimal(38, 0));
    }

    [Fact]
    public void Resolves_references_through_a_resolver()
    {
        var address = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Address","namespace":"com.acme","fields":[
              {"name":"country","type":{"type":"enum","name":"Country","symbols":["FR","DE"]}}]}
            """);

        var customer = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Customer","namespace":"com.acme","fields":[
              {"name":"home","type":"Address"},
              {"name":"born","type":"com.acme.Country","default":"FR"}]}
            """, [address]);

        customer.Fields[0].Schema.Should().BeSameAs(address);
        customer.Fields[1].Schema.Should().BeSameAs(address.Fields[0].Schema);

        var viaFunc = (RecordSchema)AvroSchemaParser.Parse(
            """{"type":"record","name":"X","fields":[{"name":"a","type":"com.acme.Address"}]}""",
            name => name == "com.acme.Address" ? address : null);
        viaFunc.Fields[0].Schema.Should().BeSameAs(address);
    }

    [Fact]
    public void Refuses_to_redefine_a_referenced_type()
    {
        var address = AvroSchemaParser.Parse("""{"type":"record","name":"Address","fields":[]}""");

        var act = () => AvroSchemaParser.Parse(
            """{"type":"record","name":"C","fields":[{"name":"a","type":{"type":"record","name":"Address","fields":[]}}]}""",
            [address]);

        act.Should().Throw<SchemaException>().Which.Path.Should().Be("C.a");
    }

    [Fact]
    public void Lists_named_types_depth_first()
    {
        var schema = AvroSchemaParser.Parse("""
            {"type":"record","name":"R","fields":[
              {"name":"a","type":{"type":"array","items":{"type":"enum","name":"E","symbols":["A"]}}},
              {"name":"b","type":["null",{"type":"record","name":"S","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":1}}]}]},
              {"name":"c","type":"R"}]}
            """);

        AvroSchemaParser.NamedTypes(schema).Select(n => n.FullName).Should().Equal("R", "E", "S", "F");
    }

    [Theory]
    [InlineData("""{"type":"int"}""", "1", true)]
    [InlineData("""{"type":"int"}""", "2147483648", false)]
    [InlineData("""{"type":"int"}""", "1.5", false)]
    [InlineData("""{"type":"int"}""", "\"1\"", false)]
    [InlineData("""{"type":"long"}""", "9223372036854775807", true)]
    [InlineData("""{"type":"long"}""", "9223372036854775808", false)]
    [InlineData("""{"type":"float"}""", "1.5", true)]
    [InlineData("""{"type":"double"}""", "\"NaN\"", true)]
    [InlineData("""{"type":"double"}""", "\"nan\"", false)]
    [InlineData("""{"type":"boolean"}""", "\"true\"", false)]
    [InlineData("""{"type":"bytes"}""", "\"\\u00ff\\u0000\"", true)]
    [InlineData("""{"type":"bytes"}""", "\"\\u0100\"", false)]
    [InlineData("""{"type":"string"}""", "null", false)]
    [InlineData("""{"type":"null"}""", "null", true)]
    [InlineData("""{"type":"null"}""", "0", false)]
    [InlineData("""{"type":"fixed","name":"F","size":2}""", "\"ab\"", true)]
    [InlineData("""{"type":"fixed","name":"F","size":2}""", "\"abc\"", false)]
    [InlineData("""{"type":"enum","name":"E","symbols":["A","B"]}""", "\"B\"", true)]
    [InlineData("""{"type":"enum","name":"E","symbols":["A","B"]}""", "\"C\"", false)]
    [InlineData("""{"type":"array","items":"int"}""", "[1,2]", true)]
    [InlineData("""{"type":"array","items":"int"}""", "[1,\"2\"]", false)]
    [InlineData("""{"type":"map","values":"long"}""", "{\"a\":1}", true)]
    [InlineData("""{"type":"map","values":"long"}""", "[]", false)]
    [InlineData("""["null","string"]""", "null", true)]
    [InlineData("""["null","string"]""", "\"x\"", false)]
    [InlineData("""["string","null"]""", "\"x\"", true)]
    [InlineData("""["string","null"]""", "null", false)]
    [InlineData("""["string","null"]""", "{\"string\":\"x\"}", false)]
    [InlineData("""{"type":"record","name":"P","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":0}]}""", "{\"x\":1}", true)]
    [InlineData("""{"type":"record","name":"P","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":0}]}""", "{\"y\":1}", false)]
    [InlineData("""{"type":"int","logicalType":"date"}""", "19000", true)]
    [InlineData("""{"type":"int","logicalType":"date"}""", "2147483647", false)]
    [InlineData("""{"type":"string","logicalType":"uuid"}""", "\"not-a-uuid\"", false)]
    [InlineData("""{"type":"string","logicalType":"uuid"}""", "\"123e4567-e89b-12d3-a456-426614174000\"", true)]
    public void Validates_field_defaults_against_the_field_type(string type, string defaultJson, bool valid)
    {
        var json = $$"""{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{{type}},"default":{{defaultJson}}}]}""";

        var act = () => AvroSchemaParser.Parse(json);

        if (valid)
        {
            act.Should().NotThrow();
        }
        else
        {
            act.Should().Throw<SchemaException>().Which.Path.Should().StartWith("n.R.f");
        }
    }

    [Fact]
    public void Reports_where_inside_a_default_the_value_is_wrong()
    {
        var act = () => AvroSchemaParser.Parse("""
            {"type":"record","name":"Order","namespace":"com.acme","fields":[
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"price","type":"double"}]}},
               "default":[{"price":1.0},{"price":"free"}]}]}
            """);

        var e = act.Should().Throw<SchemaException>().Which;
        e.Path.Should().Be("com.acme.Order.lines[1].price");
        e.Message.Should().Contain("\"free\"").And.Contain("double").And.Contain("field 'lines'");
    }

    public static TheoryData<string, string, string> InvalidSchemas => new()
    {
        { "", "", "not valid JSON" },
        { "null", "", "cannot be JSON null" },
        { "42", "", "must be a JSON string, object or array" },
        { "\"integer\"", "", "Unknown type 'integer'" },
        { """{"name":"x"}""", "", "must have a 'type' attribute" },
        { """{"type":{"type":"int"}}""", "", "must be a string naming a type" },
        { """{"type":"record","fields":[]}""", "", "must have a 'name' attribute" },
        { """{"type":"record","name":"1st","fields":[]}""", "1st", "'1st' is not a valid name" },
        { """{"type":"record","name":"a-b.R","fields":[]}""", "a-b.R", "'a-b' is not a valid namespace" },
        { """{"type":"record","name":"int","fields":[]}""", "int", "name of a primitive type" },
        { """{"type":"record","name":"R"}""", "R", "must have a 'fields' attribute" },
        { """{"type":"record","name":"R","fields":{}}""", "R", "must be an array" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}""", "R.a", "declares field 'a' twice" },
        { """{"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]}""", "R", "invalid name" },
        { """{"type":"record","name":"R","fields":[{"name":"a"}]}""", "R.a", "must have a 'type' attribute" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}""", "R.a", "'order' of field 'a'" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}""", "R.a", "Unknown type 'Missing'" },
        { """{"type":"record","namespace":"com.acme","name":"R","fields":[{"name":"a","type":"Missing"}]}""", "com.acme.R.a", "resolved in namespace 'com.acme' to com.acme.Missing" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"R","symbols":["A"]}}]}""", "R.a", "defined twice" },
        { """{"type":"record","name":"com.acme.Order","fields":[{"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"price","type":"decimal"}]}}}]}""", "com.acme.Order.lines[].price", "Unknown type 'decimal'" },
        { """{"type":"record","name":"R","fields":[{"name":"m","type":{"type":"map","values":["null","x"]}}]}""", "R.m{}<1>", "Unknown type 'x'" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":null}]}""", "R.a", "null is not a value of int" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":["int","null"],"default":null}]}""", "R.a<0>", "null is not a value of int" },
        { """{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b-c"]}]}""", "R.a", "invalid alias" },
        { """{"type":"record","name":"R","doc":5,"fields":[]}""", "R", "'doc' must be a string" },
        { """{"type":"record","name":"R","aliases":"x","fields":[]}""", "R", "'aliases' of a named type must be an array" },
        { """{"type":"enum","name":"E"}""", "E", "must have a 'symbols' attribute" },
        { """{"type":"enum","name":"E","symbols":["A","A"]}""", "E", "declares symbol 'A' twice" },
        { """{"type":"enum","name":"E","symbols":["A","1"]}""", "E", "invalid symbol '1'" },
        { """{"type":"enum","name":"E","symbols":["A"],"default":"B"}""", "E", "must be one of its symbols" },
        { """{"type":"enum","name":"E","symbols":[1]}""", "E", "array of strings" },
        { """{"type":"fixed","name":"F"}""", "F", "must have a 'size' attribute" },
        { """{"type":"fixed","name":"F","size":-1}""", "F", "non-negative integer" },
        { """{"type":"fixed","name":"F","size":1.5}""", "F", "non-negative integer" },
        { """{"type":"array"}""", "", "An array must have a 'items' attribute" },
        { """{"type":"map"}""", "", "A map must have a 'values' attribute" },
        { """["int","int"]""", "<1>", "'int' twice" },
        { """["int",["long"]]""", "<1>", "immediately contain another union" },
        { """[{"type":"enum","name":"E","symbols":["A"]},"E"]""", "<1>", "the named type 'E' twice" },
        { """{"type":"Foo","size":1}""", "", "'Foo' is not a type that takes attributes" },
        { """{"type":"record","name":"R","fields":[],"fields":[]}""", "", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchemas))]
    public void Rejects_invalid_schemas_naming_the_node(string json, string path, string message)
    {
        var act = () => AvroSchemaParser.Parse(json);

        var e = act.Should().Throw<SchemaException>().Which;
        e.Message.Should().Contain(message);
        e.Path.Should().Be(path);
    }

    [Fact]
    public void Accepts_a_reference_written_as_an_object_with_only_a_type()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse(
            """{"type":"record","name":"R","fields":[{"name":"a","type":["null",{"type":"R"}]}]}""");

        ((UnionSchema)schema.Fields[0].Schema).Branches[1].Should().BeSameAs(schema);
    }

    [Fact]
    public void Reads_numbers_of_json_built_in_code_like_parsed_ones()
    {
        var fixedNode = new JsonObject
        {
            ["type"] = "fixed", ["name"] = "F", ["size"] = 16L, ["logicalType"] = "decimal", ["precision"] = (short)20, ["scale"] = 2UL,
        };
        var record = new JsonObject
        {
            ["type"] = "record",
            ["name"] = "R",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "f", ["type"] = fixedNode },
                new JsonObject { ["name"] = "i", ["type"] = "int", ["default"] = 7L },
                new JsonObject { ["name"] = "x", ["type"] = "float", ["default"] = 1.5d },
                new JsonObject { ["name"] = "d", ["type"] = "double", ["default"] = 3 }),
        };

        var schema = (RecordSchema)AvroSchemaParser.Parse(record);

        schema.Fields[0].Schema.LogicalType.Should().Be(LogicalType.Decimal(20, 2));
        ((FixedSchema)schema.Fields[0].Schema).Size.Should().Be(16);
        AvroJsonDecoder.DefaultValue(schema.Fields[1]).Should().Be(7);
        AvroJsonDecoder.DefaultValue(schema.Fields[2]).Should().Be(1.5f);
        AvroJsonDecoder.DefaultValue(schema.Fields[3]).Should().Be(3d);
    }

    [Fact]
    public void Follows_the_full_name_rules_of_the_specification_example()
    {
        // The example of the specification's "Names" section.
        var schema = (RecordSchema)AvroSchemaParser.Parse("""
            {"type":"record","name":"Example","fields":[
              {"name":"inheritNull","type":{"type":"enum","name":"Simple","symbols":["a","b"]}},
              {"name":"explicitNamespace","type":{"type":"fixed","name":"Simple","namespace":"explicit","size":12}},
              {"name":"fullName","type":{"type":"record","name":"a.full.Name","namespace":"ignored","fields":[
                {"name":"inheritNamespace","type":{"type":"enum","name":"Understanding","symbols":["d","e"]}}]}}]}
            """);

        AvroSchemaParser.NamedTypes(schema).Select(n => n.FullName)
            .Should().Equal("Example", "Simple", "explicit.Simple", "a.full.Name", "a.full.Understanding");
    }

    [Fact]
    public void Allows_complex_type_names_as_type_names()
    {
        // "Complex types ... have no namespace, but their names (as well as union) are permitted to be reused as type names."
        var schema = (RecordSchema)AvroSchemaParser.Parse(
            """{"type":"record","name":"record","fields":[{"name":"u","type":{"type":"enum","name":"union","symbols":["A"]}},{"name":"again","type":"union"}]}""");

        schema.Fields[1].Schema.Should().BeSameAs(schema.Fields[0].Schema);
        CanonicalForm.Of(AvroSchemaParser.Parse(AvroSchemaWriter.ToJson(schema))).Should().Be(CanonicalForm.Of(schema));
    }
}
