using System.Buffers;
using System.Numerics;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroDatumTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_type_round_trips(int seed)
    {
        var record = AvroTestData.Sample(seed);
        var bytes = AvroDatumWriter.For(AvroTestData.AllTypes).ToArray(record);
        var read = AvroDatumReader.For(AvroTestData.AllTypes).Read(bytes);
        read.Should().BeOfType<GenericRecord>();
        ((GenericRecord)read!).Should().Be(record, because: $"{read} should equal {record}");
    }

    [Fact]
    public void Logical_types_decode_to_the_documented_clr_types()
    {
        var record = (GenericRecord)AvroDatumReader.For(AvroTestData.AllTypes).Read(
            AvroDatumWriter.For(AvroTestData.AllTypes).ToArray(AvroTestData.Sample(1)))!;
        record["decBytes"].Should().BeOfType<DecimalValue>().Which.Scale.Should().Be(6);
        record["uuidString"].Should().BeOfType<Guid>();
        record["uuidFixed"].Should().BeOfType<Guid>();
        record["date"].Should().BeOfType<DateOnly>();
        record["timeMillis"].Should().BeOfType<TimeOnly>();
        record["timeMicros"].Should().BeOfType<TimeOnly>();
        record["tsMillis"].Should().BeOfType<DateTime>().Which.Kind.Should().Be(DateTimeKind.Utc);
        record["localMicros"].Should().BeOfType<DateTime>().Which.Kind.Should().Be(DateTimeKind.Unspecified);
        record["tsNanos"].Should().BeOfType<long>();
        record["duration"].Should().BeOfType<DurationValue>();
        record["ints"].Should().BeOfType<List<object?>>();
        record["scores"].Should().BeOfType<Dictionary<string, object?>>();
    }

    [Theory]
    [InlineData("0.00", "00")]
    [InlineData("-0.01", "FF")]
    [InlineData("1.27", "7F")]
    [InlineData("1.28", "0080")]
    [InlineData("-1.28", "80")]
    [InlineData("-1.29", "FF7F")]
    public void Decimals_are_big_endian_twos_complement(string value, string hex)
    {
        var schema = new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2));
        var bytes = AvroDatumWriter.For(schema).ToArray(DecimalValue.Parse(value).Rescale(2));
        Convert.ToHexString(bytes[1..]).Should().Be(hex);
        AvroDatumReader.For(schema).Read(bytes).Should().Be(DecimalValue.Parse(value).Rescale(2));

        var fixedSchema = new FixedSchema(new SchemaName("D4", null), 4, LogicalType.Decimal(9, 2));
        var fixedBytes = AvroDatumWriter.For(fixedSchema).ToArray(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        fixedBytes.Should().HaveCount(4);
        AvroDatumReader.For(fixedSchema).Read(fixedBytes).Should().Be(DecimalValue.Parse(value).Rescale(2));
    }

    [Fact]
    public void A_decimal_with_more_digits_than_the_scale_is_rejected_with_its_path()
    {
        var schema = new RecordSchema(new SchemaName("Price", "shop"), [
            new Field("amount", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 2))),
        ]);
        var act = () => AvroDatumWriter.For(schema).ToArray(new GenericRecord(schema, [DecimalValue.Parse("1.234")]));
        act.Should().Throw<AvroValueException>().Where(e => e.Path == "shop.Price.amount");
    }

    [Fact]
    public void Uuid_fixed_is_rfc_4122_byte_order_and_uuid_string_is_lower_case_text()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var fixedSchema = new FixedSchema(new SchemaName("U", null), 16, LogicalType.Uuid);
        Convert.ToHexString(AvroDatumWriter.For(fixedSchema).ToArray(guid)).Should().Be("00112233445566778899AABBCCDDEEFF");
        var stringSchema = new PrimitiveSchema(SchemaType.String, LogicalType.Uuid);
        var bytes = AvroDatumWriter.For(stringSchema).ToArray(guid);
        System.Text.Encoding.ASCII.GetString(bytes[1..]).Should().Be("00112233-4455-6677-8899-aabbccddeeff");
        AvroDatumReader.For(stringSchema).Read(bytes).Should().Be(guid);
    }

    [Fact]
    public void Timestamps_before_the_epoch_round_down()
    {
        var schema = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis);
        var value = new DateTime(DateTime.UnixEpoch.Ticks - 5_000, DateTimeKind.Utc); // -0.5 ms
        var bytes = AvroDatumWriter.For(schema).ToArray(value);
        new AvroReader(bytes).ReadLong().Should().Be(-1);
    }

    [Fact]
    public void No_union_branch_accepting_a_value_is_an_error_naming_the_field_path()
    {
        var inner = new RecordSchema(new SchemaName("Line", "shop"), [
            new Field("qty", new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.Int, PrimitiveSchema.String])),
        ]);
        var order = new RecordSchema(new SchemaName("Order", "shop"), [new Field("lines", new ArraySchema(inner))]);
        var value = new GenericRecord(order, [new List<object?> { new GenericRecord(inner, [2.5]) }]);
        var act = () => AvroDatumWriter.For(order).ToArray(value);
        act.Should().Throw<AvroValueException>()
            .Where(e => e.Path == "shop.Order.lines[].qty")
            .WithMessage("No branch of union<null, int, string> accepts 2.5 (Double)*");
    }

    [Fact]
    public void Union_branches_are_picked_by_clr_type_in_branch_order()
    {
        var point = new RecordSchema(new SchemaName("P", "a"), [new Field("x", PrimitiveSchema.Int)]);
        var other = new RecordSchema(new SchemaName("P", "b"), [new Field("x", PrimitiveSchema.Int)]);
        var union = new UnionSchema([PrimitiveSchema.Null, PrimitiveSchema.String, PrimitiveSchema.Double, point, other,
            new PrimitiveSchema(SchemaType.Int, LogicalType.Date)]);
        BranchOf(union, null).Should().Be(0);
        BranchOf(union, "s").Should().Be(1);
        BranchOf(union, 3).Should().Be(2, "an int matches a double branch");
        BranchOf(union, new GenericRecord(other, [1])).Should().Be(4);
        BranchOf(union, new DateOnly(2020, 1, 1)).Should().Be(5);
        AvroDatumReader.For(union).Read(AvroDatumWriter.For(union).ToArray(3)).Should().Be(3.0);
    }

    private static long BranchOf(Schema union, object? value) => new AvroReader(AvroDatumWriter.For(union).ToArray(value)).ReadLong();

    [Fact]
    public void Records_built_with_another_instance_of_the_schema_are_written_by_field_name()
    {
        RecordSchema Make(bool swap) => new(new SchemaName("R", null), swap
            ? [new Field("b", PrimitiveSchema.String), new Field("a", PrimitiveSchema.Int)]
            : [new Field("a", PrimitiveSchema.Int), new Field("b", PrimitiveSchema.String)]);
        var target = Make(false);
        var bytes = AvroDatumWriter.For(target).ToArray(new GenericRecord(Make(true), ["x", 7]));
        AvroDatumReader.For(target).Read(bytes).Should().Be(new GenericRecord(target, [7, "x"]));
    }

    [Fact]
    public void Wrong_clr_types_and_fixed_sizes_are_rejected()
    {
        var schema = new RecordSchema(new SchemaName("R", null), [
            new Field("f", new FixedSchema(new SchemaName("F", null), 4)),
            new Field("e", new EnumSchema(new SchemaName("E", null), ["A"])),
        ]);
        var writer = AvroDatumWriter.For(schema);
        FluentActions.Invoking(() => writer.ToArray(new GenericRecord(schema, [new byte[3], "A"])))
            .Should().Throw<AvroValueException>().Where(e => e.Path == "R.f").WithMessage("*takes 4 bytes, the value has 3*");
        FluentActions.Invoking(() => writer.ToArray(new GenericRecord(schema, [new byte[4], "B"])))
            .Should().Throw<AvroValueException>().Where(e => e.Path == "R.e").WithMessage("*'B' is not a symbol*");
        FluentActions.Invoking(() => writer.ToArray("not a record"))
            .Should().Throw<AvroValueException>().Where(e => e.Path == "R");
    }

    [Fact]
    public void Negative_block_counts_with_sizes_are_read_and_skipped()
    {
        // array<long> [1, 2, 3] as a block of -2 items (4 bytes: sizes are given) then a block of 1, then the end.
        var data = Convert.FromHexString("03" + "04" + "0204" + "02" + "06" + "00" + "0A");
        var schema = new ArraySchema(PrimitiveSchema.Long);
        var reader = new AvroReader(data);
        AvroDatumReader.For(schema).Read(ref reader).Should().BeEquivalentTo(new List<object?> { 1L, 2L, 3L });
        reader.ReadLong().Should().Be(5);

        var skipping = new AvroReader(data);
        AvroSkipperAccess.Skip(schema, ref skipping);
        skipping.ReadLong().Should().Be(5);
    }

    [Fact]
    public void A_union_index_out_of_range_names_the_offset()
    {
        var schema = new RecordSchema(new SchemaName("R", null), [
            new Field("a", PrimitiveSchema.Int),
            new Field("u", UnionSchema.Nullable(PrimitiveSchema.Int)),
        ]);
        var act = () => AvroDatumReader.For(schema).Read(Convert.FromHexString("0204"));
        act.Should().Throw<AvroDataException>().Where(e => e.Offset == 1).WithMessage("*branch index 2*");
    }

    [Fact]
    public void A_huge_corrupt_block_count_fails_before_allocating()
    {
        var act = () => AvroDatumReader.For(new ArraySchema(PrimitiveSchema.Long)).Read(Convert.FromHexString("FEFFFFFF0F02"));
        act.Should().Throw<AvroDataException>().WithMessage("*cannot fit*");
    }

    [Fact]
    public void Trailing_bytes_after_a_datum_are_an_error()
    {
        var act = () => AvroDatumReader.For(PrimitiveSchema.Int).Read(new byte[] { 2, 2 });
        act.Should().Throw<AvroDataException>().Which.Offset.Should().Be(1);
    }

    [Fact]
    public void Writing_into_a_buffer_writer_appends()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(new byte[] { 9 });
        AvroDatumWriter.For(PrimitiveSchema.String).Write("ab", buffer);
        Convert.ToHexString(buffer.WrittenSpan).Should().Be("09046162");
    }

    [Fact]
    public void Big_integers_in_decimals_beyond_38_digits_round_trip()
    {
        var schema = new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(60, 10));
        var value = new DecimalValue(BigInteger.Parse("-" + new string('9', 60)), 10);
        AvroDatumReader.For(schema).Read(AvroDatumWriter.For(schema).ToArray(value)).Should().Be(value);
    }
}
