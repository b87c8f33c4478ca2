namespace Streams.Formats.Parquet.Thrift;

/// <summary>Reads one Thrift struct (or other value) from the reader's current position.</summary>
public delegate T ThriftStructReader<out T>(ref ThriftCompactReader reader);

/// <summary>Helpers for Thrift collections.</summary>
public static class ThriftCollections
{
    /// <summary>Reads a list whose elements <paramref name="readElement"/> decodes.</summary>
    public static List<T> ReadList<T>(ref ThriftCompactReader reader, ThriftStructReader<T> readElement)
    {
        var count = reader.ReadListHeader(out _);
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(readElement(ref reader));
        }

        return list;
    }

    /// <summary>Writes a list field of structs.</summary>
    public static void WriteStructList<T>(ThriftCompactWriter writer, short fieldId, IReadOnlyList<T> items,
        Action<T, ThriftCompactWriter> writeElement)
    {
        writer.WriteListField(fieldId, ThriftCompactType.Struct, items.Count);
        foreach (var item in items)
        {
            writeElement(item, writer);
        }
    }
}
