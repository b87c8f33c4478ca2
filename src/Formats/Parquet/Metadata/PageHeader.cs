using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The header in front of every page of a column chunk.</summary>
public sealed record PageHeader
{
    public PageType Type { get; init; }
    public int UncompressedPageSize { get; init; }
    public int CompressedPageSize { get; init; }
    public int? Crc { get; init; }
    public DataPageHeader? DataPageHeader { get; init; }
    public DictionaryPageHeader? DictionaryPageHeader { get; init; }
    public DataPageHeaderV2? DataPageHeaderV2 { get; init; }

    /// <summary>Decodes a page header at the start of <paramref name="buffer"/>; <paramref name="length"/> is its encoded size.</summary>
    public static PageHeader Read(ReadOnlySpan<byte> buffer, out int length)
    {
        Span<short> stack = stackalloc short[ThriftCompactReader.StackSize];
        var reader = new ThriftCompactReader(buffer, stack);
        var h = new PageHeader();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: h = h with { Type = (PageType)reader.ReadI32() }; break;
                case 2: h = h with { UncompressedPageSize = reader.ReadI32() }; break;
                case 3: h = h with { CompressedPageSize = reader.ReadI32() }; break;
                case 4: h = h with { Crc = reader.ReadI32() }; break;
                case 5: h = h with { DataPageHeader = DataPageHeader.Read(ref reader) }; break;
                case 7: h = h with { DictionaryPageHeader = DictionaryPageHeader.Read(ref reader) }; break;
                case 8: h = h with { DataPageHeaderV2 = DataPageHeaderV2.Read(ref reader) }; break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        length = reader.Position;
        return h;
    }

    /// <summary>Encodes the header.</summary>
    public void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.WriteI32Field(1, (int)Type);
        writer.WriteI32Field(2, UncompressedPageSize);
        writer.WriteI32Field(3, CompressedPageSize);
        if (Crc is { } crc) writer.WriteI32Field(4, crc);
        if (DataPageHeader is not null)
        {
            writer.WriteFieldHeader(5, ThriftCompactType.Struct);
            DataPageHeader.Write(writer);
        }

        if (DictionaryPageHeader is not null)
        {
            writer.WriteFieldHeader(7, ThriftCompactType.Struct);
            DictionaryPageHeader.Write(writer);
        }

        if (DataPageHeaderV2 is not null)
        {
            writer.WriteFieldHeader(8, ThriftCompactType.Struct);
            DataPageHeaderV2.Write(writer);
        }

        writer.EndStruct();
    }
}
