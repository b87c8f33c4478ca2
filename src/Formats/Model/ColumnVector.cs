namespace Streams.Formats.Model;

/// <summary>
/// The values of one top-level field for a run of rows, stored by type instead of as boxed objects: the input of
/// columnar filters and aggregates. Numbers, decimals (unscaled, with <see cref="Scale"/>) and timestamps (as
/// <see cref="DateTime"/> ticks) are in <see cref="Longs"/> or <see cref="Doubles"/>; other values are
/// dictionary-coded: <see cref="Longs"/> holds an index into <see cref="Dictionary"/>.
/// <see cref="ValueAt"/> gives the same object the record model holds for the row.
/// </summary>
public sealed class ColumnVector
{
    private ColumnVector(ColumnValueType type, int count, long[] longs, double[] doubles, bool[]? nulls, object?[]? dictionary, int scale)
    {
        Type = type;
        Count = count;
        Longs = longs;
        Doubles = doubles;
        Nulls = nulls;
        Dictionary = dictionary;
        Scale = scale;
    }

    /// <summary>How the values are stored and what objects they stand for.</summary>
    public ColumnValueType Type { get; }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>Per row: the integer, the unscaled decimal, the timestamp's ticks, or the dictionary index (0 for a null row).</summary>
    public long[] Longs { get; }

    /// <summary>Per row: the floating-point value (0 for a null row), for <see cref="ColumnValueType.Float"/> and <see cref="ColumnValueType.Double"/>.</summary>
    public double[] Doubles { get; }

    /// <summary>Per row: true where the value is null; null when no row is.</summary>
    public bool[]? Nulls { get; }

    /// <summary>The distinct values of a <see cref="ColumnValueType.Coded"/> vector, as record-model objects.</summary>
    public object?[]? Dictionary { get; }

    /// <summary>The scale of a <see cref="ColumnValueType.Decimal"/> vector.</summary>
    public int Scale { get; }

    /// <summary>True when row <paramref name="row"/> is null.</summary>
    public bool IsNull(int row) => Nulls is { } nulls && nulls[row];

    /// <summary>The record-model value of row <paramref name="row"/> (boxed).</summary>
    public object? ValueAt(int row) => IsNull(row) ? null : Type switch
    {
        ColumnValueType.Int32 => (int)Longs[row],
        ColumnValueType.Int64 => Longs[row],
        ColumnValueType.Float => (float)Doubles[row],
        ColumnValueType.Double => Doubles[row],
        ColumnValueType.Decimal => new DecimalValue(Longs[row], Scale),
        ColumnValueType.TimestampUtc => new DateTime(Longs[row], DateTimeKind.Utc),
        ColumnValueType.TimestampLocal => new DateTime(Longs[row], DateTimeKind.Unspecified),
        _ => Dictionary![Longs[row]],
    };

    /// <summary>A vector of integers, decimals or timestamp ticks.</summary>
    public static ColumnVector OfLongs(ColumnValueType type, long[] values, int count, bool[]? nulls, int scale = 0)
    {
        if (type is not (ColumnValueType.Int32 or ColumnValueType.Int64 or ColumnValueType.Decimal or ColumnValueType.TimestampUtc or ColumnValueType.TimestampLocal))
        {
            throw new ArgumentException($"{type} values are not stored as longs.", nameof(type));
        }

        return new ColumnVector(type, count, values, [], nulls, null, scale);
    }

    /// <summary>A vector of floating-point values.</summary>
    public static ColumnVector OfDoubles(ColumnValueType type, double[] values, int count, bool[]? nulls)
    {
        if (type is not (ColumnValueType.Float or ColumnValueType.Double))
        {
            throw new ArgumentException($"{type} values are not stored as doubles.", nameof(type));
        }

        return new ColumnVector(type, count, [], values, nulls, null, 0);
    }

    /// <summary>A dictionary-coded vector: <paramref name="codes"/> index <paramref name="dictionary"/>.</summary>
    public static ColumnVector OfCodes(long[] codes, int count, bool[]? nulls, object?[] dictionary) =>
        new(ColumnValueType.Coded, count, codes, [], nulls, dictionary, 0);
}
