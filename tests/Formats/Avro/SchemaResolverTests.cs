using Streams.Formats.Avro;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class SchemaResolverTests
{
    private static SchemaResolution Resolve(string writer, string reader) =>
        SchemaResolver.Resolve(AvroSchemaParser.Parse(writer), AvroSchemaParser.Parse(reader));

    [Fact]
    public void Maps_record_fields_by_name_and_alias_skips_and_defaults()
    {
        var resolution = Resolve(
            """
            {"type":"record","name":"com.acme.Order","fields":[
              {"name":"id","type":"int"},{"name":"legacy","type":"string"},{"name":"total","type":"float"},{"name":"customer","type":"string"}]}
            """,
            """
            {"type":"record","name":"com.acme.Order","fields":[
              {"name":"buyer","type":"string","aliases":["customer"]},
              {"name":"total","type":"double"},
              {"name":"id","type":"long"},
              {"name":"tags","type":{"type":"array","items":"string"},"default":["new"]},
              {"name":"note","type":["null","string"],"default":null}]}
            """);

        var record = resolution.GetRoot().Should().BeOfType<RecordResolution>().Which;
        record.WriterFields.Select(f => (f.WriterField.Name, f.ReaderField?.Name, f.ReaderField?.Position))
            .Should().Equal(("id", "id", 2), ("legacy", null, null), ("total", "total", 1), ("customer", "buyer", 0));
        record.WriterFields[0].Resolution.Should().BeOfType<DirectResolution>().Which.Promotion.Should().Be(Promotion.IntToLong);
        record.WriterFields[1].IsSkipped.Should().BeTrue();
        record.WriterFields[1].WriterField.Schema.Should().BeSameAs(PrimitiveSchema.String);
        record.WriterFields[2].Resolution.Should().BeOfType<DirectResolution>().Which.Promotion.Should().Be(Promotion.FloatToDouble);
        record.Defaults.Select(d => (d.ReaderField.Name, d.ReaderField.Position)).Should().Equal(("tags", 3), ("note", 4));
        record.Defaults[0].Value.Should().BeEquivalentTo(new List<object?> { "new" });
        record.Defaults[0].IsShareable.Should().BeFalse();
        record.Defaults[0].CreateValue().Should().NotBeSameAs(record.Defaults[0].CreateValue());
        record.Defaults[1].Value.Should().BeNull();
        resolution.RuntimeErrors.Should().BeEmpty();
    }

    [Fact]
    public void Reports_every_reason_with_the_reader_path()
    {
        var resolution = Resolve(
            """
            {"type":"record","name":"com.acme.Order","fields":[
              {"name":"price","type":"double"},
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"qty","type":"long"}]}}}]}
            """,
            """
            {"type":"record","name":"com.acme.Order","fields":[
              {"name":"price","type":"float"},
              {"name":"x","type":"int"},
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"qty","type":"int"},{"name":"sku","type":"string"}]}}}]}
            """);

        resolution.IsSuccess.Should().BeFalse();
        resolution.Root.Should().BeNull();
        resolution.Errors.Should().BeEquivalentTo(new[]
        {
            new SchemaIncompatibility("com.acme.Order.x",
                "reader field 'x' at com.acme.Order.x has no default and is missing from the writer's record com.acme.Order"),
            new SchemaIncompatibility("com.acme.Order.price", "the writer's double cannot be read as the reader's float"),
            new SchemaIncompatibility("com.acme.Order.lines[].sku",
                "reader field 'sku' at com.acme.Order.lines[].sku has no default and is missing from the writer's record com.acme.Line"),
            new SchemaIncompatibility("com.acme.Order.lines[].qty", "the writer's long cannot be read as the reader's int"),
        });
        var act = () => resolution.GetRoot();
        act.Should().Throw<SchemaResolutionException>().Which.Reasons.Should().HaveCount(4);
    }

    [Fact]
    public void Maps_enum_symbols_and_defers_unknown_ones()
    {
        var withDefault = Resolve(
            """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","CLUBS"]}""",
            """{"type":"enum","name":"Suit","symbols":["OTHER","CLUBS","SPADES"],"default":"OTHER"}""");
        var node = (EnumResolution)withDefault.GetRoot();
        node.SymbolMap.Should().Equal(2, 0, 1);
        node.MapSymbol(1).Should().Be("OTHER");
        withDefault.RuntimeErrors.Should().BeEmpty();

        var without = Resolve(
            """{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","CLUBS"]}""",
            """{"type":"enum","name":"Suit","symbols":["CLUBS","SPADES"]}""");
        var strict = (EnumResolution)without.GetRoot();
        strict.SymbolMap.Should().Equal(1, -1, 0);
        strict.MapSymbol(0).Should().Be("SPADES");
        var act = () => strict.MapSymbol(1, "suit");
        act.Should().Throw<AvroValueException>().Which.Path.Should().Be("suit");
        without.RuntimeErrors.Should().ContainSingle().Which.Message.Should().Contain("'HEARTS'").And.Contain("no default");
    }

    [Fact]
    public void Prefers_an_exact_reader_branch_to_a_promotion()
    {
        var node = (ReaderUnionResolution)Resolve("\"int\"", """["null","long","int"]""").GetRoot();
        node.BranchIndex.Should().Be(2);
        ((DirectResolution)node.Branch).Promotion.Should().Be(Promotion.None);

        var same = (WriterUnionResolution)Resolve("""["double","long"]""", """["double","long"]""").GetRoot();
        same.Branches.Select(b => ((ReaderUnionResolution)b).BranchIndex).Should().Equal(0, 1);

        var promoted = (ReaderUnionResolution)Resolve("\"int\"", """["null","double","long"]""").GetRoot();
        promoted.BranchIndex.Should().Be(1, "the first branch the value promotes to, in branch order");

        var named = (ReaderUnionResolution)Resolve(
            """{"type":"record","name":"a.X","fields":[]}""",
            """[{"type":"record","name":"b.X","fields":[]},{"type":"record","name":"a.X","fields":[]}]""").GetRoot();
        named.BranchIndex.Should().Be(1, "a named type prefers the branch of its own full name");
    }

    [Fact]
    public void Defers_unreadable_writer_union_branches()
    {
        var resolution = Resolve(
            """{"type":"record","name":"R","fields":[{"name":"v","type":["null","int","string"]}]}""",
            """{"type":"record","name":"R","fields":[{"name":"v","type":["null","long"]}]}""");

        var record = (RecordResolution)resolution.GetRoot();
        var union = record.WriterFields[0].Resolution.Should().BeOfType<WriterUnionResolution>().Which;
        union.Branches[0].Should().BeOfType<ReaderUnionResolution>().Which.BranchIndex.Should().Be(0);
        var intBranch = union.Branches[1].Should().BeOfType<ReaderUnionResolution>().Which;
        intBranch.BranchIndex.Should().Be(1);
        ((DirectResolution)intBranch.Branch).Promotion.Should().Be(Promotion.IntToLong);
        var failed = union.Branches[2].Should().BeOfType<FailedResolution>().Which;
        failed.CreateException("v").Message.Should().Contain("string").And.Contain("(at v)");
        resolution.RuntimeErrors.Should().ContainSingle().Which.Should().Be(new SchemaIncompatibility("R.v",
            "when the writer's union<null, int, string> holds branch 2 (string): the reader's union<null, long> has no branch that can read the writer's string"));
        AvroCompatibility.CanRead(record.Reader, record.Writer).Should().Equal(resolution.RuntimeErrors);
    }

    [Fact]
    public void Fails_when_no_writer_union_branch_is_readable()
    {
        var resolution = Resolve("""["int","string"]""", "\"boolean\"");

        resolution.IsSuccess.Should().BeFalse();
        resolution.Errors.Should().HaveCount(2);
    }

    [Fact]
    public void Resolves_recursive_records_into_a_graph()
    {
        const string list = """{"type":"record","name":"List","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","List"]}]}""";
        var resolution = Resolve(list,
            """{"type":"record","name":"List","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","List"]}]}""");

        var root = (RecordResolution)resolution.GetRoot();
        var next = (WriterUnionResolution)root.WriterFields[1].Resolution!;
        ((ReaderUnionResolution)next.Branches[1]).Branch.Should().BeSameAs(root);
    }

    [Fact]
    public void Reports_missing_defaults_in_recursive_records_once()
    {
        var resolution = Resolve(
            """{"type":"record","name":"List","fields":[{"name":"next","type":["null","List"]}]}""",
            """{"type":"record","name":"List","fields":[{"name":"next","type":["null","List"]},{"name":"x","type":"int"}]}""");

        resolution.Errors.Should().ContainSingle().Which.Path.Should().Be("List.x");
    }

    [Fact]
    public void Matches_named_types_by_unqualified_name_or_reader_alias_and_fixed_by_size()
    {
        Resolve("""{"type":"fixed","name":"a.F","size":2}""", """{"type":"fixed","name":"b.F","size":2}""").IsSuccess.Should().BeTrue();
        Resolve("""{"type":"fixed","name":"a.F","size":2}""", """{"type":"fixed","name":"G","aliases":["a.F"],"size":2}""").IsSuccess.Should().BeTrue();
        Resolve("""{"type":"fixed","name":"a.F","size":2}""", """{"type":"fixed","name":"G","aliases":["b.F"],"size":2}""")
            .Errors.Single().Message.Should().Be("the writer's fixed a.F and the reader's fixed G have different names and no reader alias is a.F");
        Resolve("""{"type":"fixed","name":"F","size":2}""", """{"type":"fixed","name":"F","size":3}""")
            .Errors.Single().Should().Be(new SchemaIncompatibility("F", "the writer's fixed F has 2 bytes but the reader's fixed F has 3"));
    }

    [Fact]
    public void Reports_reader_fields_that_claim_the_same_writer_field()
    {
        var resolution = Resolve(
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","aliases":["a"]}]}""");

        resolution.Errors.Should().ContainSingle().Which.Message.Should().Contain("'a' and 'b'");
    }

    [Fact]
    public void Promotes_values()
    {
        Promote(Promotion.IntToLong, 3).Should().Be(3L);
        Promote(Promotion.IntToFloat, 3).Should().Be(3f);
        Promote(Promotion.IntToDouble, 3).Should().Be(3d);
        Promote(Promotion.LongToFloat, 1L << 40).Should().Be((float)(1L << 40));
        Promote(Promotion.LongToDouble, 5L).Should().Be(5d);
        Promote(Promotion.FloatToDouble, 0.5f).Should().Be(0.5d);
        Promote(Promotion.StringToBytes, "é").Should().BeEquivalentTo(new byte[] { 0xC3, 0xA9 });
        Promote(Promotion.BytesToString, new byte[] { 0xC3, 0xA9 }).Should().Be("é");
        var invalid = () => Promote(Promotion.BytesToString, new byte[] { 0xFF });
        invalid.Should().Throw<AvroValueException>().WithMessage("*not valid UTF-8*");
    }

    private static object? Promote(Promotion promotion, object value)
    {
        var (writer, reader) = promotion switch
        {
            Promotion.IntToLong => ("int", "long"),
            Promotion.IntToFloat => ("int", "float"),
            Promotion.IntToDouble => ("int", "double"),
            Promotion.LongToFloat => ("long", "float"),
            Promotion.LongToDouble => ("long", "double"),
            Promotion.FloatToDouble => ("float", "double"),
            Promotion.StringToBytes => ("string", "bytes"),
            _ => ("bytes", "string"),
        };
        var node = (DirectResolution)Resolve($"\"{writer}\"", $"\"{reader}\"").GetRoot();
        node.Promotion.Should().Be(promotion);
        return node.Promote(value);
    }

    [Fact]
    public void Matches_decimals_only_with_equal_precision_and_scale()
    {
        Resolve("""{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}""", """{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}""")
            .IsSuccess.Should().BeTrue();
        Resolve("""{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}""", "\"bytes\"").IsSuccess.Should().BeTrue();
        Resolve("""{"type":"record","name":"R","fields":[{"name":"p","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}]}""",
                """{"type":"record","name":"R","fields":[{"name":"p","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":3}}]}""")
            .Errors.Should().Equal(new SchemaIncompatibility("R.p",
                "the writer's decimal(9, 2) and the reader's decimal(9, 3) differ; decimals match only with the same precision and scale"));
    }
}
