using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The header of a version 2 data page: levels stay uncompressed and their lengths are in the header.</summary>
public sealed record DataPageHeaderV2
{
    public int NumValues { get; init; }
    public int NumNulls { get; init; }
    public int NumRows { get; init; }
    public ParquetEncoding Encoding { get; init; }
    public int DefinitionLevelsByteLength { get; init; }
    public int RepetitionLevelsByteLength { get; init; }
    public bool IsCompressed { get; init; } = true;
    public Statistics? Statistics { get; init; }

    internal static DataPageHeaderV2 Read(ref ThriftCompactReader reader)
    {
        var h = new DataPageHeaderV2();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: h = h with { NumValues = reader.ReadI32() }; break;
                case 2: h = h with { NumNulls = reader.ReadI32() }; break;
                case 3: h = h with { NumRows = reader.ReadI32() }; break;
                case 4: h = h with { Encoding = (ParquetEncoding)reader.ReadI32() }; break;
                case 5: h = h with { DefinitionLevelsByteLength = reader.ReadI32() }; break;
                case 6: h = h with { RepetitionLevelsByteLength = reader.ReadI32() }; break;
                case 7: h = h with { IsCompressed = reader.ReadBool() }; break;
                case 8: h = h with { Statistics = Statistics.Read(ref reader) }; break;
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
        writer.WriteI32Field(2, NumNulls);
        writer.WriteI32Field(3, NumRows);
        writer.WriteI32Field(4, (int)Encoding);
        writer.WriteI32Field(5, DefinitionLevelsByteLength);
        writer.WriteI32Field(6, RepetitionLevelsByteLength);
        writer.WriteBoolField(7, IsCompressed);
        if (Statistics is not null)
        {
            writer.WriteFieldHeader(8, ThriftCompactType.Struct);
            Statistics.Write(writer);
        }

        writer.EndStruct();
    }
}
