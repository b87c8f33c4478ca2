using System.Buffers;
using System.Buffers.Binary;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// Writes a small file with layouts older writers (Spark, Hive, parquet-mr 1.x) produce: an INT96 timestamp
/// and a two-level list <c>optional group vals (LIST) { repeated int32 array; }</c>, uncompressed v1 pages.
/// Rows: vals = [1, 2], [], null, [3].
/// </summary>
public static class LegacyFile
{
    public static readonly string[] ExpectedTimestamps =
    [
        "1970-01-01 00:00:00", "2001-02-03 04:05:06.789", "1969-12-31 23:59:59.5", "2024-02-29 12:00:00.000001",
    ];

    public static void Write(string path)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("PAR1"u8);

        // INT96 column: 8 bytes nanoseconds of the day, 4 bytes Julian day, little-endian.
        var int96 = new byte[12 * 4];
        var nanos = new long[] { 0, 981173106789000000, -500000000, 1709208000000001000 };
        for (var i = 0; i < nanos.Length; i++)
        {
            var day = Math.DivRem(nanos[i], 86_400_000_000_000L, out var ofDay);
            if (ofDay < 0) { ofDay += 86_400_000_000_000L; day--; }
            BinaryPrimitives.WriteInt64LittleEndian(int96.AsSpan(i * 12), ofDay);
            BinaryPrimitives.WriteInt32LittleEndian(int96.AsSpan(i * 12 + 8), (int)(day + 2440588));
        }

        var tsOffset = output.WrittenCount;
        WritePage(output, int96, 4);
        var tsSize = output.WrittenCount - tsOffset;

        // List column: levels as RLE runs of length one (header 0x02, then the value byte).
        byte[] rep = [0, 1, 0, 0, 0];
        byte[] def = [2, 2, 1, 0, 2];
        var body = new List<byte>();
        AddLevels(body, rep);
        AddLevels(body, def);
        foreach (var v in new[] { 1, 2, 3 })
        {
            body.AddRange(BitConverter.GetBytes(v));
        }

        var valsOffset = output.WrittenCount;
        WritePage(output, body.ToArray(), 5);
        var valsSize = output.WrittenCount - valsOffset;

        var footer = new FileMetaData
        {
            Version = 1,
            NumRows = 4,
            Schema =
            [
                new SchemaElement { Name = "spark_schema", NumChildren = 2 },
                new SchemaElement { Name = "ts", Type = PhysicalType.Int96, RepetitionType = FieldRepetitionType.Required },
                new SchemaElement { Name = "vals", RepetitionType = FieldRepetitionType.Optional, NumChildren = 1, ConvertedType = ConvertedType.List },
                new SchemaElement { Name = "array", Type = PhysicalType.Int32, RepetitionType = FieldRepetitionType.Repeated },
            ],
            RowGroups =
            [
                new RowGroup
                {
                    NumRows = 4,
                    TotalByteSize = tsSize + valsSize,
                    Columns =
                    [
                        Chunk(PhysicalType.Int96, ["ts"], 4, tsOffset, tsSize),
                        Chunk(PhysicalType.Int32, ["vals", "array"], 5, valsOffset, valsSize),
                    ],
                },
            ],
            CreatedBy = "hand-made legacy layout",
        };
        var metadata = new ArrayBufferWriter<byte>();
        footer.Write(new ThriftCompactWriter(metadata));
        output.Write(metadata.WrittenSpan);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, metadata.WrittenCount);
        output.Write(length);
        output.Write("PAR1"u8);
        File.WriteAllBytes(path, output.WrittenSpan.ToArray());
    }

    private static ColumnChunk Chunk(PhysicalType type, string[] path, long values, long offset, long size) => new()
    {
        FileOffset = offset,
        MetaData = new ColumnMetaData
        {
            Type = type, Encodings = [ParquetEncoding.Plain, ParquetEncoding.Rle], PathInSchema = path,
            Codec = CompressionCodec.Uncompressed, NumValues = values, TotalCompressedSize = size,
            TotalUncompressedSize = size, DataPageOffset = offset,
        },
    };

    private static void AddLevels(List<byte> body, byte[] levels)
    {
        body.AddRange(BitConverter.GetBytes(levels.Length * 2));
        foreach (var level in levels)
        {
            body.Add(0x02);
            body.Add(level);
        }
    }

    private static void WritePage(ArrayBufferWriter<byte> output, byte[] body, int values)
    {
        new PageHeader
        {
            Type = PageType.DataPage, UncompressedPageSize = body.Length, CompressedPageSize = body.Length,
            DataPageHeader = new DataPageHeader { NumValues = values, Encoding = ParquetEncoding.Plain },
        }.Write(new ThriftCompactWriter(output));
        output.Write(body);
    }
}
