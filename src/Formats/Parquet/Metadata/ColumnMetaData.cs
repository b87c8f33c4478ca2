using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The metadata of one column chunk: where its pages are, how they are encoded, and statistics.</summary>
public sealed record ColumnMetaData
{
    public PhysicalType Type { get; init; }
    public IReadOnlyList<ParquetEncoding> Encodings { get; init; } = [];
    public IReadOnlyList<string> PathInSchema { get; init; } = [];
    public CompressionCodec Codec { get; init; }
    public long NumValues { get; init; }
    public long TotalUncompressedSize { get; init; }
    public long TotalCompressedSize { get; init; }
    public IReadOnlyList<KeyValue>? KeyValueMetadata { get; init; }
    public long DataPageOffset { get; init; }
    public long? IndexPageOffset { get; init; }
    public long? DictionaryPageOffset { get; init; }
    public Statistics? Statistics { get; init; }

    internal static ColumnMetaData Read(ref ThriftCompactReader reader)
    {
        var m = new ColumnMetaData();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: m = m with { Type = (PhysicalType)reader.ReadI32() }; break;
                case 2: m = m with { Encodings = ThriftCollections.ReadList(ref reader, static (ref ThriftCompactReader r) => (ParquetEncoding)r.ReadI32()) }; break;
                case 3: m = m with { PathInSchema = ThriftCollections.ReadList(ref reader, static (ref ThriftCompactReader r) => r.ReadString()) }; break;
                case 4: m = m with { Codec = (CompressionCodec)reader.ReadI32() }; break;
                case 5: m = m with { NumValues = reader.ReadI64() }; break;
                case 6: m = m with { TotalUncompressedSize = reader.ReadI64() }; break;
                case 7: m = m with { TotalCompressedSize = reader.ReadI64() }; break;
                case 8: m = m with { KeyValueMetadata = ThriftCollections.ReadList(ref reader, KeyValue.Read) }; break;
                case 9: m = m with { DataPageOffset = reader.ReadI64() }; break;
                case 10: m = m with { IndexPageOffset = reader.ReadI64() }; break;
                case 11: m = m with { DictionaryPageOffset = reader.ReadI64() }; break;
                case 12: m = m with { Statistics = Statistics.Read(ref reader) }; break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return m;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.WriteI32Field(1, (int)Type);
        writer.WriteListField(2, ThriftCompactType.I32, Encodings.Count);
        foreach (var encoding in Encodings)
        {
            writer.WriteI32((int)encoding);
        }

        writer.WriteListField(3, ThriftCompactType.Binary, PathInSchema.Count);
        foreach (var name in PathInSchema)
        {
            writer.WriteString(name);
        }

        writer.WriteI32Field(4, (int)Codec);
        writer.WriteI64Field(5, NumValues);
        writer.WriteI64Field(6, TotalUncompressedSize);
        writer.WriteI64Field(7, TotalCompressedSize);
        if (KeyValueMetadata is not null)
        {
            ThriftCollections.WriteStructList(writer, 8, KeyValueMetadata, static (kv, w) => kv.Write(w));
        }

        writer.WriteI64Field(9, DataPageOffset);
        if (IndexPageOffset is { } index) writer.WriteI64Field(10, index);
        if (DictionaryPageOffset is { } dictionary) writer.WriteI64Field(11, dictionary);
        if (Statistics is not null)
        {
            writer.WriteFieldHeader(12, ThriftCompactType.Struct);
            Statistics.Write(writer);
        }

        writer.EndStruct();
    }
}
