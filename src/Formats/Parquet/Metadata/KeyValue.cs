using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>A key/value metadata entry of the file or a column chunk.</summary>
public sealed record KeyValue(string Key, string? Value)
{
    internal static KeyValue Read(ref ThriftCompactReader reader)
    {
        string key = "";
        string? value = null;
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1: key = reader.ReadString(); break;
                case 2: value = reader.ReadString(); break;
                default: reader.Skip(type); break;
            }
        }

        reader.EndStruct();
        return new KeyValue(key, value);
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        writer.WriteStringField(1, Key);
        if (Value is not null)
        {
            writer.WriteStringField(2, Value);
        }

        writer.EndStruct();
    }
}
