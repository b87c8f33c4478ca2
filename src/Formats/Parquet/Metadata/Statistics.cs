using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet.Metadata;

/// <summary>
/// Statistics of a column chunk or page. Values are PLAIN-encoded (without the length prefix for byte arrays).
/// <see cref="MinValue"/>/<see cref="MaxValue"/> follow the column's sort order; the legacy
/// <see cref="Min"/>/<see cref="Max"/> are only trustworthy for signed numeric orders.
/// </summary>
public sealed record Statistics
{
    public byte[]? Max { get; init; }
    public byte[]? Min { get; init; }
    public long? NullCount { get; init; }
    public long? DistinctCount { get; init; }
    public byte[]? MaxValue { get; init; }
    public byte[]? MinValue { get; init; }

    internal static Statistics Read(ref ThriftCompactReader reader)
    {
        var s = new Statistics();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            s = id switch
            {
                1 => s with { Max = reader.ReadBinary().ToArray() },
                2 => s with { Min = reader.ReadBinary().ToArray() },
                3 => s with { NullCount = reader.ReadI64() },
                4 => s with { DistinctCount = reader.ReadI64() },
                5 => s with { MaxValue = reader.ReadBinary().ToArray() },
                6 => s with { MinValue = reader.ReadBinary().ToArray() },
                _ => Skip(ref reader, type, s),
            };
        }

        reader.EndStruct();
        return s;
    }

    private static Statistics Skip(ref ThriftCompactReader reader, ThriftCompactType type, Statistics s)
    {
        reader.Skip(type);
        return s;
    }

    internal void Write(ThriftCompactWriter writer)
    {
        writer.BeginStruct();
        if (Max is not null) writer.WriteBinaryField(1, Max);
        if (Min is not null) writer.WriteBinaryField(2, Min);
        if (NullCount is { } nulls) writer.WriteI64Field(3, nulls);
        if (DistinctCount is { } distinct) writer.WriteI64Field(4, distinct);
        if (MaxValue is not null) writer.WriteBinaryField(5, MaxValue);
        if (MinValue is not null) writer.WriteBinaryField(6, MinValue);
        writer.EndStruct();
    }
}
