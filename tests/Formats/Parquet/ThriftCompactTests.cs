using System.Buffers;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Tests.Parquet;

public sealed class ThriftCompactTests
{
    [Fact]
    public void Unknown_fields_of_every_type_are_skipped()
    {
        // A SchemaElement with extra fields a future writer might add (ids 20..27), between known ones.
        var buffer = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(buffer);
        w.BeginStruct();
        w.WriteI32Field(1, (int)PhysicalType.Int64);
        w.WriteStringField(4, "amount");
        w.WriteBoolField(20, true);
        w.WriteI64Field(21, long.MinValue);
        w.WriteFieldHeader(22, ThriftCompactType.Double);
        w.WriteDouble(3.5);
        w.WriteListField(23, ThriftCompactType.Struct, 2);
        for (var i = 0; i < 2; i++)
        {
            w.BeginStruct();
            w.WriteStringField(1, "nested");
            w.WriteListField(2, ThriftCompactType.I32, 20);
            for (var k = 0; k < 20; k++) w.WriteI32(k);
            w.EndStruct();
        }

        w.BeginStructField(24);
        w.BeginStructField(1);
        w.WriteBinaryField(300, [1, 2, 3]);
        w.EndStruct();
        w.EndStruct();
        w.WriteI32Field(3, (int)FieldRepetitionType.Optional);
        w.WriteFieldHeader(25, ThriftCompactType.Map);
        buffer.Write(new byte[] { 2, 0x85, 1, 1, 1, 1, 2, 4 }); // map<binary,i32> {"\x01": -1, "\x02": 2}
        w.WriteI32Field(26, 9);
        w.EndStruct();

        var bytes = buffer.WrittenSpan.ToArray();
        Span<short> stack = stackalloc short[ThriftCompactReader.StackSize];
        var reader = new ThriftCompactReader(bytes, stack);
        reader.BeginStruct();
        var seen = new List<short>();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            seen.Add(id);
            reader.Skip(type);
        }

        reader.EndStruct();
        reader.Position.Should().Be(bytes.Length);
        seen.Should().Equal(1, 4, 20, 21, 22, 23, 24, 3, 25, 26);
    }

    [Fact]
    public void Metadata_round_trips_and_ignores_unknown_fields()
    {
        var element = new SchemaElement
        {
            Name = "ts", Type = PhysicalType.Int64, RepetitionType = FieldRepetitionType.Optional,
            LogicalType = LogicalTypeAnnotation.Timestamp(TimeUnit.Nanos, isAdjustedToUtc: false), FieldId = 7,
        };
        var footer = new FileMetaData { Version = 2, Schema = [new SchemaElement { Name = "root", NumChildren = 1 }, element], NumRows = 5, CreatedBy = "x" };
        var buffer = new ArrayBufferWriter<byte>();
        footer.Write(new ThriftCompactWriter(buffer));
        var read = FileMetaData.Read(buffer.WrittenSpan);
        read.Schema[1].Should().Be(element);
        read.NumRows.Should().Be(5);
        read.CreatedBy.Should().Be("x");
    }

    [Fact]
    public void Truncated_data_reports_the_offset()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new FileMetaData { Version = 1, Schema = [new SchemaElement { Name = "root", NumChildren = 0 }], CreatedBy = "some writer" }
            .Write(new ThriftCompactWriter(buffer));
        var act = () => FileMetaData.Read(buffer.WrittenSpan[..^6]);
        act.Should().Throw<ThriftException>().Which.Offset.Should().BeGreaterThan(0);
    }
}
