using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroResolvingReaderTests
{
    private static readonly EnumSchema WriterColor = new(new SchemaName("Color", "t"), ["RED", "GREEN", "PURPLE"]);
    private static readonly EnumSchema ReaderColor = new(new SchemaName("Color", "t"), ["GREEN", "RED", "OTHER"], "OTHER");

    private static readonly RecordSchema Writer = new(new SchemaName("R", "t"), [
        new Field("a", PrimitiveSchema.Int),
        new Field("dropped", new MapSchema(new ArraySchema(PrimitiveSchema.String))),
        new Field("f", PrimitiveSchema.Float),
        new Field("color", WriterColor),
        new Field("u", UnionSchema.Nullable(PrimitiveSchema.Int)),
        new Field("s", PrimitiveSchema.String),
        new Field("ts", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis)),
    ]);

    private static readonly RecordSchema Reader = new(new SchemaName("R", "t"), [
        new Field("color", ReaderColor),
        new Field("a", PrimitiveSchema.Long),
        new Field("f", PrimitiveSchema.Double),
        new Field("u", UnionSchema.Nullable(PrimitiveSchema.Double)),
        new Field("s", PrimitiveSchema.Bytes),
        new Field("added", PrimitiveSchema.String, hasDefault: true, defaultValue: System.Text.Json.Nodes.JsonValue.Create("x")),
        new Field("list", new ArraySchema(PrimitiveSchema.Int), hasDefault: true, defaultValue: new System.Text.Json.Nodes.JsonArray(1, 2)),
        new Field("ts", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
    ]);

    private static byte[] Encode(int a, string color, int? u) => AvroDatumWriter.For(Writer).ToArray(new GenericRecord(Writer, [
        a,
        new Dictionary<string, object?> { ["k"] = new List<object?> { "v1", "v2" } },
        1.5f,
        color,
        u,
        "héllo",
        new DateTime(2024, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc),
    ]));

    [Fact]
    public void Promotes_skips_reorders_maps_enums_and_fills_defaults()
    {
        var read = (GenericRecord)AvroDatumReader.For(Writer, Reader).Read(Encode(7, "PURPLE", 3))!;
        read.Schema.Should().BeSameAs(Reader);
        read["color"].Should().Be("OTHER", "PURPLE is unknown to the reader, whose default is OTHER");
        read["a"].Should().Be(7L);
        read["f"].Should().Be(1.5);
        read["u"].Should().Be(3.0);
        read["s"].Should().BeEquivalentTo("héllo"u8.ToArray());
        read["added"].Should().Be("x");
        read["list"].Should().BeEquivalentTo(new List<object?> { 1, 2 });
        // Logical types play no part in resolution: the millis number is read as micros.
        read["ts"].Should().Be(DateTime.UnixEpoch.AddTicks(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 10, TimeSpan.Zero).ToUnixTimeMilliseconds() * 10));

        var again = (GenericRecord)AvroDatumReader.For(Writer, Reader).Read(Encode(8, "GREEN", null))!;
        again["color"].Should().Be("GREEN");
        again["u"].Should().BeNull();
        again["list"].Should().NotBeSameAs(read["list"], "mutable defaults are not shared between records");
    }

    [Fact]
    public void A_writer_union_branch_the_reader_cannot_read_fails_only_when_met()
    {
        var writer = new UnionSchema([PrimitiveSchema.Int, PrimitiveSchema.Boolean]);
        var reader = AvroDatumReader.For(writer, PrimitiveSchema.Long);
        reader.Read(AvroDatumWriter.For(writer).ToArray(5)).Should().Be(5L);
        var act = () => reader.Read(AvroDatumWriter.For(writer).ToArray(true));
        act.Should().Throw<AvroDataException>().WithMessage("*boolean*cannot be read as long*").Which.Offset.Should().Be(1);
    }

    [Fact]
    public void An_enum_symbol_unknown_to_a_reader_without_default_fails_with_the_offset()
    {
        var reader = new EnumSchema(new SchemaName("Color", "t"), ["RED", "GREEN"]);
        var act = () => AvroDatumReader.For(WriterColor, reader).Read(new byte[] { 4 });
        act.Should().Throw<AvroDataException>().WithMessage("*PURPLE*").Which.Offset.Should().Be(0);
    }

    [Fact]
    public void Incompatible_schemas_fail_when_the_reader_is_built()
    {
        var act = () => AvroDatumReader.For(PrimitiveSchema.String, PrimitiveSchema.Int);
        act.Should().Throw<SchemaResolutionException>();
    }

    [Fact]
    public void Recursive_records_resolve()
    {
        RecordSchema List(bool withExtra)
        {
            var node = new RecordSchema(new SchemaName("Node", null));
            node.SetFields(withExtra
                ? [new Field("v", PrimitiveSchema.Int), new Field("extra", PrimitiveSchema.String), new Field("next", UnionSchema.Nullable(node))]
                : [new Field("v", PrimitiveSchema.Long), new Field("next", UnionSchema.Nullable(node))]);
            return node;
        }

        var w = List(true);
        var r = List(false);
        var value = new GenericRecord(w, [1, "a", new GenericRecord(w, [2, "b", null])]);
        var read = AvroDatumReader.For(w, r).Read(AvroDatumWriter.For(w).ToArray(value));
        read.Should().Be(new GenericRecord(r, [1L, new GenericRecord(r, [2L, null])]));
    }

    [Fact]
    public async Task A_file_is_read_with_a_reader_schema()
    {
        var stream = new MemoryStream();
        await using (var writer = AvroFileWriter.Create(stream, Writer, new AvroFileWriterOptions { LeaveOpen = true }))
        {
            await writer.WriteAsync(AvroDatumReader.For(Writer).Read(Encode(1, "RED", 2)));
        }

        stream.Position = 0;
        await using var reader = await AvroFileReader.OpenAsync(stream, Reader);
        reader.ReaderSchema.Should().BeSameAs(Reader);
        var records = await reader.ReadAllAsync().ToListAsync();
        ((GenericRecord)records.Single()!)["a"].Should().Be(1L);
    }
}
