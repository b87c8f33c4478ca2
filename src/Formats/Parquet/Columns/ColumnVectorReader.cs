using Streams.Formats.Model;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Turns the column chunk of a flat top-level field into a <see cref="ColumnVector"/>: numbers, decimals stored as
/// INT32/INT64 and timestamps typed, any other dictionary-encoded leaf coded (each distinct value converted once,
/// as the record assembler converts it). Anything else (nested fields, plain-encoded strings, values out of their
/// type's range) gives no vector, and the caller reads records instead, which reports such values as the record
/// path does.
/// </summary>
internal static class ColumnVectorReader
{
    private const long UnixEpochTicks = 621355968000000000L;

    /// <summary>The vector of <paramref name="field"/> (a child of the record binding) over <paramref name="column"/>, or null.</summary>
    public static ColumnVector? Read(FieldBinding field, ColumnBuffer column, int rows)
    {
        var leaf = field.Kind == BindingKind.Optional ? field.Child : field;
        if (leaf is not { Kind: BindingKind.Leaf } || column.MaxRepetitionLevel != 0 || column.LevelCount != rows
            || (column.MaxDefinitionLevel > 0 && (field.Kind != BindingKind.Optional || field.DefinitionLevel != column.MaxDefinitionLevel)))
        {
            return null;
        }

        var nulls = Nulls(column, rows);
        switch (leaf.LeafKind)
        {
            case LeafKind.Int32:
            case LeafKind.DecimalInt32:
                return ColumnVector.OfLongs(leaf.LeafKind == LeafKind.Int32 ? ColumnValueType.Int32 : ColumnValueType.Decimal,
                    Expand(column.Int32s, nulls, rows, v => (long)v), rows, nulls, leaf.Scale);
            case LeafKind.Int64:
            case LeafKind.DecimalInt64:
                return ColumnVector.OfLongs(leaf.LeafKind == LeafKind.Int64 ? ColumnValueType.Int64 : ColumnValueType.Decimal,
                    Expand(column.Int64s, nulls, rows, v => v), rows, nulls, leaf.Scale);
            case LeafKind.Float:
                return ColumnVector.OfDoubles(ColumnValueType.Float, Expand(column.Floats, nulls, rows, v => (double)v), rows, nulls);
            case LeafKind.Double:
                return ColumnVector.OfDoubles(ColumnValueType.Double, Expand(column.Doubles, nulls, rows, v => v), rows, nulls);
            case LeafKind.TimestampMicrosUtc or LeafKind.TimestampMicrosLocal or LeafKind.TimestampMillisUtc or LeafKind.TimestampMillisLocal:
            {
                var unit = leaf.LeafKind is LeafKind.TimestampMicrosUtc or LeafKind.TimestampMicrosLocal ? 10L : TimeSpan.TicksPerMillisecond;
                var min = -UnixEpochTicks / unit;
                var max = (DateTime.MaxValue.Ticks - UnixEpochTicks) / unit;
                var values = column.Int64s.AsSpan(0, column.ValueCount);
                foreach (var v in values)
                {
                    if (v < min || v > max)
                    {
                        return null;
                    }
                }

                var type = leaf.LeafKind is LeafKind.TimestampMicrosUtc or LeafKind.TimestampMillisUtc ? ColumnValueType.TimestampUtc : ColumnValueType.TimestampLocal;
                return ColumnVector.OfLongs(type, Expand(column.Int64s, nulls, rows, v => UnixEpochTicks + v * unit), rows, nulls);
            }
        }

        if (column.DictionaryIndexes is not { } indexes || leaf.LeafKind is LeafKind.Bytes or LeafKind.Fixed)
        {
            return null;
        }

        var dictionary = column.Dictionary!;
        var entries = new object?[dictionary.ValueCount];
        try
        {
            for (var d = 0; d < entries.Length; d++)
            {
                entries[d] = LeafValues.Read(dictionary, d, leaf.LeafKind, leaf.Scale);
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
        {
            return null;
        }

        var codes = Expand(indexes, nulls, rows, v => (long)v);
        foreach (var code in codes)
        {
            if ((ulong)code >= (ulong)entries.Length)
            {
                return null;
            }
        }

        return ColumnVector.OfCodes(codes, rows, nulls, entries);
    }

    private static bool[]? Nulls(ColumnBuffer column, int rows)
    {
        if (column.MaxDefinitionLevel == 0 || column.ValueCount == rows)
        {
            return null;
        }

        var nulls = new bool[rows];
        var max = column.MaxDefinitionLevel;
        var levels = column.DefinitionLevels;
        for (var r = 0; r < rows; r++)
        {
            nulls[r] = levels[r] < max;
        }

        return nulls;
    }

    /// <summary>The dense values spread over the rows (nulls hold the default).</summary>
    private static TOut[] Expand<TIn, TOut>(TIn[] values, bool[]? nulls, int rows, Func<TIn, TOut> convert)
    {
        var result = new TOut[rows];
        if (nulls is null)
        {
            for (var r = 0; r < rows; r++)
            {
                result[r] = convert(values[r]);
            }

            return result;
        }

        var v = 0;
        for (var r = 0; r < rows; r++)
        {
            if (!nulls[r])
            {
                result[r] = convert(values[v++]);
            }
        }

        return result;
    }
}
