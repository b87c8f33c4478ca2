using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>A row group: one column chunk per leaf column, in schema order.</summary>
public sealed record RowGroup
{
    public IReadOnlyList<ColumnChunk> Columns { get; init; } = [];
    public long TotalByteSize { get; init; }
    public long NumRows { get; init; }
    public long? FileOffset { get; init; }
    public long? TotalCompressedSize { get; init; }
    public short? Ordinal { get; init; }

    internal static RowGroup Read(ref ThriftCompactReader reader)
    {
        var g = new RowGroup();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: g = g with { Columns = ThriftCollections.ReadList(ref reader, ColumnChunk.Read) }; break;
                case 2: g = g with { TotalByteSize = reader.ReadI64() }; break;
                case 3: g = g with { NumRows = reader.ReadI64() }; break;
                case 5: g = g with { FileOffset = reader.ReadI64() }; break;
                case 6: g = g with { TotalCompressedSize = reader.ReadI64() }; break;
                case 7: g = g with { Ordinal = (short)reader.ReadI32() }; break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return g;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        ThriftCollections.WriteStructList(writer, 1, Columns, static (c, w) => c.Write(w));
        writer.WriteI64Field(2, TotalByteSize);
        writer.WriteI64Field(3, NumRows);
        if (FileOffset is { } offset) writer.WriteI64Field(5, offset);
        if (TotalCompressedSize is { } compressed) writer.WriteI64Field(6, compressed);
        if (Ordinal is { } ordinal)
        {
            writer.WriteFieldHeader(7, ThriftCompactType.I16);
            writer.WriteI32(ordinal);
        }

        writer.EndStruct();
    }
}
