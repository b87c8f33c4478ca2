using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>The header of a version 1 data page (levels and values compressed together).</summary>
public sealed record DataPageHeader
{
    public int NumValues { get; init; }
    public ParquetEncoding Encoding { get; init; }
    public ParquetEncoding DefinitionLevelEncoding { get; init; } = ParquetEncoding.Rle;
    public ParquetEncoding RepetitionLevelEncoding { get; init; } = ParquetEncoding.Rle;
    public Statistics? Statistics { get; init; }

    internal static DataPageHeader Read(ref ThriftCompactReader reader)
    {
        var h = new DataPageHeader();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: h = h with { NumValues = reader.ReadI32() }; break;
                case 2: h = h with { Encoding = (ParquetEncoding)reader.ReadI32() }; break;
                case 3: h = h with { DefinitionLevelEncoding = (ParquetEncoding)reader.ReadI32() }; break;
                case 4: h = h with { RepetitionLevelEncoding = (ParquetEncoding)reader.ReadI32() }; break;
                case 5: h = h with { Statistics = Statistics.Read(ref reader) }; break;
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
        writer.WriteI32Field(3, (int)DefinitionLevelEncoding);
        writer.WriteI32Field(4, (int)RepetitionLevelEncoding);
        if (Statistics is not null)
        {
            writer.WriteFieldHeader(5, ThriftCompactType.Struct);
            Statistics.Write(writer);
        }

        writer.EndStruct();
    }
}
