using Streams.Catalog.Schemas;
using Streams.Formats.Model;

namespace Streams.Catalog.Tests;

public sealed class SchemaTests
{
    private static RecordSchema Record(params (string Name, Schema Schema)[] fields) =>
        new(new SchemaName("r", null), fields.Select(f => new Field(f.Name, f.Schema)));

    [Theory]
    [InlineData(SchemaType.Int, SchemaType.Long, "bigint")]
    [InlineData(SchemaType.Long, SchemaType.Int, "bigint")]
    [InlineData(SchemaType.Int, SchemaType.Double, "double")]
    [InlineData(SchemaType.Long, SchemaType.Float, "double")]
    [InlineData(SchemaType.Float, SchemaType.Double, "double")]
    [InlineData(SchemaType.Int, SchemaType.String, "uniontype<int,string>")]
    [InlineData(SchemaType.Boolean, SchemaType.Long, "uniontype<boolean,bigint>")]
    public void Merging_widens_numbers_and_records_other_conflicts_as_a_choice(SchemaType left, SchemaType right, string expected) =>
        GlueTypes.ToTypeString(SchemaMerger.Merge(PrimitiveSchema.Of(left), PrimitiveSchema.Of(right))).Should().Be(expected);

    [Fact]
    public void A_choice_widens_its_numeric_branch()
    {
        var choice = SchemaMerger.Merge(SchemaMerger.Merge(PrimitiveSchema.Int, PrimitiveSchema.String), PrimitiveSchema.Double);
        choice.Should().BeOfType<UnionSchema>().Which.Branches.Select(b => b.Type).Should().Equal(SchemaType.Double, SchemaType.String);
    }

    [Fact]
    public void Records_merge_field_by_field_and_missing_fields_become_nullable()
    {
        var merged = (RecordSchema)SchemaMerger.Merge(
            Record(("a", PrimitiveSchema.Int), ("b", PrimitiveSchema.String)),
            Record(("a", PrimitiveSchema.Null), ("c", new ArraySchema(PrimitiveSchema.Long))));
        merged.Fields.Select(f => f.Name).Should().Equal("a", "b", "c");
        merged.Fields[0].Schema.NonNullBranch!.Type.Should().Be(SchemaType.Int);
        merged.Fields[1].Schema.NonNullBranch!.Type.Should().Be(SchemaType.String);
        GlueTypes.ToTypeString(merged).Should().Be("struct<a:int,b:string,c:array<bigint>>");
    }

    [Theory]
    [InlineData("bigint")]
    [InlineData("decimal(38,9)")]
    [InlineData("struct<a:int,b:array<struct<c:string>>,m:map<string,double>>")]
    [InlineData("uniontype<int,string>")]
    [InlineData("date")]
    [InlineData("timestamp")]
    public void Glue_type_strings_round_trip(string type) =>
        GlueTypes.ToTypeString(GlueTypes.Parse(type)).Should().Be(type);

    [Theory]
    [InlineData("struct<a:int")]
    [InlineData("decimal(x,2)")]
    [InlineData("frobnicate")]
    public void Invalid_type_strings_are_rejected(string type)
    {
        var act = () => GlueTypes.Parse(type);
        act.Should().Throw<FormatException>().WithMessage($"'{type}' is not a Glue type*");
    }
}
