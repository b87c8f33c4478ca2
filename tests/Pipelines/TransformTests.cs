using Streams.Formats.Model;
using Streams.Pipelines.Transforms;
using Streams.Serving;
using static Streams.Pipelines.Tests.TestRecords;

namespace Streams.Pipelines.Tests;

public sealed class TransformTests
{
    private static async Task<(RecordBatch Output, TransformContext Context)> RunAsync(Transform transform, RecordBatch input)
    {
        var bound = transform.Bind(input.Schema);
        var context = new TransformContext();
        var output = await bound.ApplyAsync(input, context, CancellationToken.None);
        output.Schema.Should().BeSameAs(bound.Output);
        return (output, context);
    }

    [Fact]
    public async Task ApplyMapping_renames_casts_nests_and_dead_letters_bad_casts()
    {
        var transform = new ApplyMappingTransform(
        [
            new FieldMapping("id", "order_id", "string"),
            new FieldMapping("address.city", "shipping.city"),
            new FieldMapping("customer", "shipping.customer_no", "int"),
            new FieldMapping("amount", "total", "double"),
        ]) { Label = "transforms[0] (apply_mapping)" };
        var (output, context) = await RunAsync(transform, Batch(NewOrder(1, customer: "17"), NewOrder(2, customer: "x9", city: null)));

        output.Schema.Fields.Select(f => f.ToString()).Should().Equal(
            "order_id: string", "shipping: record shop.Order.shipping", "total: double");
        var shipping = (RecordSchema)output.Schema.Fields[1].Schema;
        shipping.Fields.Select(f => f.ToString()).Should().Equal("city: union<null, string>", "customer_no: int");
        output.Records.Should().ContainSingle();
        output.Records[0]["order_id"].Should().Be("1");
        ((GenericRecord)output.Records[0]["shipping"]!)["customer_no"].Should().Be(17);
        output.Records[0]["total"].Should().Be(10.5);
        output.Positions![0].Should().Be(new SourcePosition("orders", 0, 100));

        var dead = context.DeadLetters.Should().ContainSingle().Which;
        dead.Position.Should().Be(new SourcePosition("orders", 0, 101));
        dead.Transform.Should().Be("transforms[0] (apply_mapping)");
        dead.Reason.Should().Be("field 'customer' -> 'shipping.customer_no': Cannot cast \"x9\" (String) to int: The input string 'x9' was not in a correct format.");
        dead.Record!["id"].Should().Be(2L);
    }

    [Fact]
    public void ApplyMapping_rejects_unknown_sources_and_conflicting_targets()
    {
        new ApplyMappingTransform([new FieldMapping("nope", "x")]).Invoking(t => t.Bind(Order))
            .Should().Throw<TransformException>().WithMessage("apply_mapping: unknown field 'nope'; the input has fields id, customer*");
        new ApplyMappingTransform([new FieldMapping("id", "x"), new FieldMapping("customer", "x.y")]).Invoking(t => t.Bind(Order))
            .Should().Throw<TransformException>().WithMessage("*nests into 'x', which another mapping sets as a value");
        new ApplyMappingTransform([new FieldMapping("id", "x", "money")]).Invoking(t => t.Bind(Order))
            .Should().Throw<TransformException>().WithMessage("*Unknown type 'money'*");
    }

    [Fact]
    public async Task Filter_keeps_true_rows_and_drops_false_and_null()
    {
        var (output, context) = await RunAsync(new FilterTransform("status = 'paid' AND quantity > 1"),
            Batch(NewOrder(1), NewOrder(2, status: null), NewOrder(3, quantity: 1), NewOrder(4)));
        output.Records.Select(r => r["id"]).Should().Equal(1L, 4L);
        output.Positions.Should().Equal(new SourcePosition("orders", 0, 100), new SourcePosition("orders", 0, 103));
        context.DeadLetters.Should().BeEmpty();
    }

    [Fact]
    public async Task Derive_adds_or_replaces_and_dead_letters_failures()
    {
        var (output, context) = await RunAsync(new DeriveTransform("n", "cast(customer as int) * 2") { Label = "d" }, Batch(NewOrder(1, customer: "21"), NewOrder(2, customer: "x")));
        output.Schema.Fields[^1].ToString().Should().Be("n: union<null, int>");
        output.Records.Should().ContainSingle().Which["n"].Should().Be(42);
        context.DeadLetters.Should().ContainSingle().Which.Reason.Should().StartWith("Expression 'cast(customer as int) * 2' failed: Cannot cast \"x\"");

        var (replaced, _) = await RunAsync(new DeriveTransform("quantity", "quantity + 1"), Batch(NewOrder(1)));
        replaced.Schema.Fields.Select(f => f.Name).Should().Equal(Order.Fields.Select(f => f.Name));
        replaced.Records[0]["quantity"].Should().Be(3);
    }

    [Fact]
    public async Task Select_drop_rename_fields()
    {
        var (selected, _) = await RunAsync(new SelectFieldsTransform(["price", "id"]), Batch(NewOrder(1)));
        selected.Schema.Fields.Select(f => f.Name).Should().Equal("price", "id");
        selected.Records[0].Values.ToArray().Should().Equal(5.25, 1L);

        var (dropped, _) = await RunAsync(new DropFieldsTransform(["address", "day", "ts"]), Batch(NewOrder(1)));
        dropped.Schema.Fields.Select(f => f.Name).Should().Equal("id", "customer", "amount", "quantity", "price", "status");

        var (renamed, _) = await RunAsync(new RenameFieldTransform("customer", "client"), Batch(NewOrder(1)));
        renamed.Schema.Fields[1].Name.Should().Be("client");
        renamed.Records[0]["client"].Should().Be("c1");

        new RenameFieldTransform("customer", "id").Invoking(t => t.Bind(Order)).Should().Throw<TransformException>().WithMessage("*the input already has a field 'id'");
        new DropFieldsTransform(["x"]).Invoking(t => t.Bind(Order)).Should().Throw<TransformException>().WithMessage("*unknown field 'x'*");
    }

    [Fact]
    public async Task DropNullFields_removes_null_typed_columns()
    {
        var schema = new RecordSchema(new SchemaName("r", null), [new Field("a", PrimitiveSchema.Int), new Field("nothing", PrimitiveSchema.Null), new Field("b", UnionSchema.Nullable(PrimitiveSchema.String))]);
        var (output, _) = await RunAsync(new DropNullFieldsTransform(), new RecordBatch(schema, [new GenericRecord(schema, [1, null, null])]));
        output.Schema.Fields.Select(f => f.Name).Should().Equal("a", "b");
        output.Records[0].Values.ToArray().Should().Equal(new object?[] { 1, null });
    }

    private static readonly RecordSchema Choice = new(new SchemaName("c", null),
    [
        new Field("id", PrimitiveSchema.Int),
        new Field("price", new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Int, PrimitiveSchema.String])),
        new Field("tail", PrimitiveSchema.String),
    ]);

    private static RecordBatch ChoiceBatch() => new(Choice,
        [new GenericRecord(Choice, [1, 5, "t"]), new GenericRecord(Choice, [2, "7", "t"]), new GenericRecord(Choice, [3, "n/a", "t"]), new GenericRecord(Choice, [4, null, "t"])],
        [.. Enumerable.Range(0, 4).Select(i => (SourcePosition?)SourcePosition.InFile("prices.jsonl", i))]);

    [Fact]
    public async Task ResolveChoice_cast_sends_unconvertible_values_to_dead_letters()
    {
        var (output, context) = await RunAsync(new ResolveChoiceTransform("price", ChoiceAction.Cast, "long"), ChoiceBatch());
        output.Schema.Fields[1].ToString().Should().Be("price: union<null, long>");
        output.Records.Select(r => r["price"]).Should().Equal(5L, 7L, null);
        context.DeadLetters.Should().ContainSingle().Which.Position.Should().Be(SourcePosition.InFile("prices.jsonl", 2));
    }

    [Fact]
    public async Task ResolveChoice_project_turns_unconvertible_values_into_null()
    {
        var (output, context) = await RunAsync(new ResolveChoiceTransform("price", ChoiceAction.Project, "int"), ChoiceBatch());
        output.Records.Select(r => r["price"]).Should().Equal(5, 7, null, null);
        context.DeadLetters.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveChoice_make_cols_and_make_struct_split_by_branch()
    {
        var (cols, _) = await RunAsync(new ResolveChoiceTransform("price", ChoiceAction.MakeCols), ChoiceBatch());
        cols.Schema.Fields.Select(f => f.Name).Should().Equal("id", "price_int", "price_string", "tail");
        cols.Records.Select(r => (r["price_int"], r["price_string"])).Should().Equal((5, null), (null, "7"), (null, "n/a"), (null, null));
        cols.Records.Should().OnlyContain(r => (string)r["tail"]! == "t");

        var (structs, _) = await RunAsync(new ResolveChoiceTransform("price", ChoiceAction.MakeStruct), ChoiceBatch());
        var price = (GenericRecord)structs.Records[1]["price"]!;
        price.Schema.Fields.Select(f => f.Name).Should().Equal("int", "string");
        price.Values.ToArray().Should().Equal(new object?[] { null, "7" });
        structs.Records[3]["price"].Should().BeNull();
    }

    private static readonly RecordSchema Line = new(new SchemaName("Line", "shop"),
        [new Field("sku", PrimitiveSchema.String), new Field("qty", PrimitiveSchema.Int), new Field("meta", new RecordSchema(new SchemaName("Meta", "shop"), [new Field("color", PrimitiveSchema.String)]))]);

    private static readonly RecordSchema Nested = new(new SchemaName("Nested", "shop"),
    [
        new Field("order_id", PrimitiveSchema.Long),
        new Field("address", UnionSchema.Nullable(Address)),
        new Field("lines", new ArraySchema(Line)),
        new Field("tags", new ArraySchema(PrimitiveSchema.String)),
    ]);

    private static GenericRecord Meta(string color) => new((RecordSchema)Line.Fields[2].Schema, [color]);

    private static RecordBatch NestedBatch() => new(Nested,
    [
        new GenericRecord(Nested, [1L, new GenericRecord(Address, ["Oslo", null]),
            new List<object?> { new GenericRecord(Line, ["a", 1, Meta("red")]), new GenericRecord(Line, ["b", 2, Meta("blue")]) }, new List<object?> { "x" }]),
        new GenericRecord(Nested, [2L, null, new List<object?>(), new List<object?> { "y", "z" }]),
    ]);

    [Fact]
    public async Task Flatten_expands_nested_records()
    {
        var (output, _) = await RunAsync(new FlattenTransform(), NestedBatch());
        output.Schema.Fields.Select(f => f.ToString()).Should().Equal(
            "order_id: long", "address_city: union<null, string>", "address_zip: union<null, string>", "lines: array<record shop.Line>", "tags: array<string>");
        output.Records[0]["address_city"].Should().Be("Oslo");
        output.Records[1]["address_city"].Should().BeNull();
    }

    [Fact]
    public async Task Relationalize_moves_arrays_to_child_outputs_keyed_by_parent()
    {
        var (output, context) = await RunAsync(new RelationalizeTransform("orders", ["order_id"]), NestedBatch());
        output.Schema.Fields.Select(f => f.Name).Should().Equal("order_id", "address_city", "address_zip");
        context.Children.Keys.Should().BeEquivalentTo("orders_lines", "orders_tags");
        var lines = context.Children["orders_lines"].Single();
        lines.Schema.Fields.Select(f => f.Name).Should().Equal("order_id", "index", "sku", "qty", "meta_color");
        lines.Records.Select(r => r.Values.ToArray()).Should().BeEquivalentTo(new[] { new object?[] { 1L, 0, "a", 1, "red" }, [1L, 1, "b", 2, "blue"] },
            o => o.WithStrictOrdering());
        var tags = context.Children["orders_tags"].Single();
        tags.Records.Select(r => (r["order_id"], r["index"], r["value"])).Should().Equal((1L, 0, "x"), (2L, 0, "y"), (2L, 1, "z"));

        new RelationalizeTransform("orders", ["lines"]).Invoking(t => t.Bind(Nested)).Should().Throw<TransformException>().WithMessage("*key 'lines'*");
    }

    [Fact]
    public async Task Deduplicate_keeps_first_per_key_across_batches()
    {
        var bound = new DeduplicateTransform(["customer", "address.city"]).Bind(Order);
        var context = new TransformContext();
        var first = await bound.ApplyAsync(Batch(NewOrder(1), NewOrder(2), NewOrder(3, customer: "c2"), NewOrder(4, city: "Bergen")), context, default);
        first.Records.Select(r => r["id"]).Should().Equal(1L, 3L, 4L);
        var second = await bound.ApplyAsync(Batch(NewOrder(5), NewOrder(6, customer: "c3")), context, default);
        second.Records.Select(r => r["id"]).Should().Equal(6L);
    }
}

public sealed class NestedFieldTransformTests
{
    [Fact]
    public async Task Drop_and_rename_reach_into_nested_records()
    {
        var input = Batch(NewOrder(1), NewOrder(2, city: null));
        var dropped = new DropFieldsTransform(["address.zip", "day"]).Bind(Order);
        var output = await dropped.ApplyAsync(input, new TransformContext(), default);
        output.Schema.Fields.Select(f => f.Name).Should().NotContain("day");
        var address = Streams.Pipelines.Values.Schemas.AsRecord(output.Schema.GetField("address")!.Schema)!;
        address.Fields.Select(f => f.Name).Should().Equal("city");
        output.Schema.GetField("address")!.Schema.Should().BeOfType<UnionSchema>("a nullable record stays nullable");
        ((GenericRecord)output.Records[0]["address"]!).Values.ToArray().Should().Equal("Oslo");
        output.Records[1]["address"].Should().BeNull();

        var renamed = await new RenameFieldTransform("address.city", "town").Bind(Order).ApplyAsync(input, new TransformContext(), default);
        ((GenericRecord)renamed.Records[0]["address"]!)["town"].Should().Be("Oslo");

        new DropFieldsTransform(["address.country"]).Invoking(t => t.Bind(Order)).Should().Throw<TransformException>()
            .WithMessage("drop_fields: unknown field 'address.country'; 'address' has fields city, zip");
        new RenameFieldTransform("customer.name", "x").Invoking(t => t.Bind(Order)).Should().Throw<TransformException>()
            .WithMessage("rename_field: 'customer' is string, not a record");
        new RenameFieldTransform("address.city", "zip").Invoking(t => t.Bind(Order)).Should().Throw<TransformException>()
            .WithMessage("*'address' already has a field 'zip'");
    }
}
