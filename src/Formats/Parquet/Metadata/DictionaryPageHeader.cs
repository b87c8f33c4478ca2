using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The header of a dictionary page (the PLAIN-encoded distinct values of a column chunk).</summary>
public sealed record DictionaryPageHeader
{
    public int NumValues { get; init; }
    public ParquetEncoding Encoding { get; init; } = ParquetEncoding.Plain;
    public bool? IsSorted { get; init; }

    internal static DictionaryPageHeader Read(ref ThriftCompactReader reader)
    {
        var h = new DictionaryPageHeader();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: h = h with { NumValues = reader.ReadI32() }; break;
                case 2: h = h with { Encoding = (ParquetEncoding)reader.ReadI32() }; break;
                case 3: h = h with { IsSorted = reader.ReadBool() }; break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return h;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.WriteI32Field(1, NumValues);
        writer.WriteI32Field(2, (int)Encoding);
        if (IsSorted is { } sorted) writer.WriteBoolField(3, sorted);
        writer.EndStruct();
    }
}
