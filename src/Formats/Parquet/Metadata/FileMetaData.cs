using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The file footer: schema, row groups and key/value metadata.</summary>
public sealed record FileMetaData
{
    public int Version { get; init; }
    public IReadOnlyList<SchemaElement> Schema { get; init; } = [];
    public long NumRows { get; init; }
    public IReadOnlyList<RowGroup> RowGroups { get; init; } = [];
    public IReadOnlyList<KeyValue>? KeyValueMetadata { get; init; }
    public string? CreatedBy { get; init; }

    /// <summary>True when the footer declares TYPE_ORDER column orders, which makes min_value/max_value usable.</summary>
    public bool HasColumnOrders { get; init; }

    /// <summary>True when the footer says the file is encrypted (not supported).</summary>
    public bool IsEncrypted { get; init; }

    /// <summary>Decodes a footer.</summary>
    public static FileMetaData Read(ReadOnlySpan<byte> buffer)
    {
        Span<short> stack = stackalloc short[ThriftCompactReader.StackSize];
        var reader = new ThriftCompactReader(buffer, stack);
        return Read(ref reader);
    }

    internal static FileMetaData Read(ref ThriftCompactReader reader)
    {
        var m = new FileMetaData();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: m = m with { Version = reader.ReadI32() }; break;
                case 2: m = m with { Schema = ThriftCollections.ReadList(ref reader, SchemaElement.Read) }; break;
                case 3: m = m with { NumRows = reader.ReadI64() }; break;
                case 4: m = m with { RowGroups = ThriftCollections.ReadList(ref reader, RowGroup.Read) }; break;
                case 5: m = m with { KeyValueMetadata = ThriftCollections.ReadList(ref reader, KeyValue.Read) }; break;
                case 6: m = m with { CreatedBy = reader.ReadString() }; break;
                case 7:
                    reader.Skip(type);
                    m = m with { HasColumnOrders = true };
                    break;
                case 8:
                    reader.Skip(type);
                    m = m with { IsEncrypted = true };
                    break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return m;
    }

    /// <summary>Encodes the footer; every leaf gets a TYPE_ORDER column order.</summary>
    public void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.WriteI32Field(1, Version);
        ThriftCollections.WriteStructList(writer, 2, Schema, static (e, w) => e.Write(w));
        writer.WriteI64Field(3, NumRows);
        ThriftCollections.WriteStructList(writer, 4, RowGroups, static (g, w) => g.Write(w));
        if (KeyValueMetadata is not null)
        {
            ThriftCollections.WriteStructList(writer, 5, KeyValueMetadata, static (kv, w) => kv.Write(w));
        }

        if (CreatedBy is not null) writer.WriteStringField(6, CreatedBy);
        if (HasColumnOrders)
        {
            var leaves = Schema.Count(e => e.NumChildren is null);
            writer.WriteListField(7, ThriftCompactType.Struct, leaves);
            for (var i = 0; i < leaves; i++)
            {
                // ColumnOrder union, branch 1: TypeDefinedOrder (an empty struct).
                writer.BeginStruct();
                writer.BeginStructField(1);
                writer.EndStruct();
                writer.EndStruct();
            }
        }

        writer.EndStruct();
    }
}
