using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>A column chunk of a row group: its location and (inline) metadata.</summary>
public sealed record ColumnChunk
{
    /// <summary>A file holding the data if not this one; this implementation only reads single-file data.</summary>
    public string? FilePath { get; init; }
    public long FileOffset { get; init; }
    public ColumnMetaData? MetaData { get; init; }

    internal static ColumnChunk Read(ref ThriftCompactReader reader)
    {
        var c = new ColumnChunk();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: c = c with { FilePath = reader.ReadString() }; break;
                case 2: c = c with { FileOffset = reader.ReadI64() }; break;
                case 3: c = c with { MetaData = ColumnMetaData.Read(ref reader) }; break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return c;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        if (FilePath is not null) writer.WriteStringField(1, FilePath);
        writer.WriteI64Field(2, FileOffset);
        if (MetaData is not null)
        {
            writer.WriteFieldHeader(3, ThriftCompactType.Struct);
            MetaData.Write(writer);
        }

        writer.EndStruct();
    }
}
