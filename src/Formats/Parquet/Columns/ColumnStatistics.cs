using System.Buffers.Binary;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Computes min/max (in the column's sort order, PLAIN-encoded) and null counts. Orders the writer cannot
/// state simply — unsigned integers, decimals in byte arrays, INT96, INTERVAL — get null counts only.
/// </summary>
internal static class ColumnStatistics
{
    public static Statistics Compute(ColumnBuffer column, ParquetSchemaNode leaf, int valueStart, int valueCount, long nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        if (valueCount == 0 || !HasSimpleOrder(leaf))
        {
            return stats;
        }

        var (min, max) = column.Type switch
        {
            PhysicalType.Boolean => MinMaxBoolean(column.Booleans.AsSpan(valueStart, valueCount)),
            PhysicalType.Int32 => MinMax(column.Int32s.AsSpan(valueStart, valueCount), static (s, v) => BinaryPrimitives.WriteInt32LittleEndian(s, v), 4),
            PhysicalType.Int64 => MinMax(column.Int64s.AsSpan(valueStart, valueCount), static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v), 8),
            PhysicalType.Float => MinMaxFloat(column.Floats.AsSpan(valueStart, valueCount)),
            PhysicalType.Double => MinMaxDouble(column.Doubles.AsSpan(valueStart, valueCount)),
            _ => MinMaxBytes(column, valueStart, valueCount),
        };
        return stats with { MinValue = min, MaxValue = max };
    }

    private static bool HasSimpleOrder(ParquetSchemaNode leaf)
    {
        var e = leaf.Element;
        if (e.LogicalType is { Kind: LogicalTypeKind.Integer, IsSigned: false }
            || e.ConvertedType is ConvertedType.Uint8 or ConvertedType.Uint16 or ConvertedType.Uint32 or ConvertedType.Uint64
                or ConvertedType.Interval)
        {
            return false;
        }

        var isDecimal = e.LogicalType?.Kind == LogicalTypeKind.Decimal || e.ConvertedType == ConvertedType.Decimal;
        return leaf.PhysicalType switch
        {
            PhysicalType.Int96 => false,
            PhysicalType.ByteArray or PhysicalType.FixedLenByteArray => !isDecimal,
            _ => true,
        };
    }

    private static (byte[]?, byte[]?) MinMaxBoolean(ReadOnlySpan<bool> values)
    {
        bool anyTrue = false, anyFalse = false;
        foreach (var v in values)
        {
            if (v) anyTrue = true; else anyFalse = true;
        }

        return ([(byte)(anyFalse ? 0 : 1)], [(byte)(anyTrue ? 1 : 0)]);
    }

    private static (byte[]?, byte[]?) MinMax<T>(ReadOnlySpan<T> values, Action<byte[], T> write, int width) where T : IComparable<T>
    {
        var min = values[0];
        var max = values[0];
        foreach (var v in values)
        {
            if (v.CompareTo(min) < 0) min = v;
            if (v.CompareTo(max) > 0) max = v;
        }

        var a = new byte[width];
        var b = new byte[width];
        write(a, min);
        write(b, max);
        return (a, b);
    }

    private static (byte[]?, byte[]?) MinMaxFloat(ReadOnlySpan<float> values)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        var any = false;
        foreach (var v in values)
        {
            if (float.IsNaN(v)) continue;
            any = true;
            if (v < min) min = v;
            if (v > max) max = v;
        }

        if (!any) return (null, null);
        // Zero is written as -0.0 for min and +0.0 for max, so either sign of zero in the data is covered.
        if (min == 0) min = -0f;
        if (max == 0) max = 0f;
        var a = new byte[4];
        var b = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(a, min);
        BinaryPrimitives.WriteSingleLittleEndian(b, max);
        return (a, b);
    }

    private static (byte[]?, byte[]?) MinMaxDouble(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var any = false;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            any = true;
            if (v < min) min = v;
            if (v > max) max = v;
        }

        if (!any) return (null, null);
        if (min == 0) min = -0d;
        if (max == 0) max = 0d;
        var a = new byte[8];
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(a, min);
        BinaryPrimitives.WriteDoubleLittleEndian(b, max);
        return (a, b);
    }

    private static (byte[]?, byte[]?) MinMaxBytes(ColumnBuffer column, int start, int count)
    {
        var min = column.GetBytes(start);
        var max = min;
        for (var i = start + 1; i < start + count; i++)
        {
            var v = column.GetBytes(i);
            if (v.SequenceCompareTo(min) < 0) min = v;
            if (v.SequenceCompareTo(max) > 0) max = v;
        }

        // Long strings would bloat the footer; leave min/max out rather than truncate them.
        return min.Length > 64 || max.Length > 64 ? (null, null) : (min.ToArray(), max.ToArray());
    }
}
