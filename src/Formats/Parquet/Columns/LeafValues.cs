using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Streams.Formats.Model;

namespace Streams.Formats.Parquet.Columns;

/// <summary>Converts between the CLR values of the record model and a leaf column's physical values.</summary>
internal static class LeafValues
{
    private static readonly object True = true;
    private static readonly object False = false;
    private const int UnixEpochDayNumber = 719162; // DateOnly(1970, 1, 1).DayNumber
    private const int MaxDayNumber = 3652058; // DateOnly.MaxValue.DayNumber
    private const long UnixEpochTicks = 621355968000000000L; // DateTime.UnixEpoch.Ticks
    private const int JulianDayOfUnixEpoch = 2440588;
    private const long NanosPerDay = 86_400_000_000_000L;

    /// <summary>Appends a non-null value; throws <see cref="InvalidCastException"/> naming <paramref name="path"/> when it does not fit.</summary>
    public static void Append(ColumnBuffer column, object value, LeafKind kind, int scale, string path)
    {
        try
        {
            switch (kind)
            {
                case LeafKind.Boolean: column.AddBoolean((bool)value); break;
                case LeafKind.Int32: column.AddInt32((int)value); break;
                case LeafKind.UInt32AsInt64: column.AddInt32(unchecked((int)checked((uint)(long)value))); break;
                case LeafKind.Int64: column.AddInt64(value is int i ? i : (long)value); break;
                case LeafKind.Float: column.AddFloat(value is int fi ? fi : value is long fl ? fl : (float)value); break;
                case LeafKind.Double: column.AddDouble(value switch { int di => di, long dl => dl, float df => df, _ => (double)value }); break;
                case LeafKind.Date: column.AddInt32(((DateOnly)value).DayNumber - UnixEpochDayNumber); break;
                case LeafKind.TimeMillis: column.AddInt32((int)(((TimeOnly)value).Ticks / TimeSpan.TicksPerMillisecond)); break;
                case LeafKind.TimeMicros: column.AddInt64(((TimeOnly)value).Ticks / 10); break;
                case LeafKind.TimestampMillisUtc or LeafKind.TimestampMillisLocal:
                    column.AddInt64(Math.DivRem(TicksSinceEpoch(value, kind == LeafKind.TimestampMillisUtc), TimeSpan.TicksPerMillisecond).Quotient);
                    break;
                case LeafKind.TimestampMicrosUtc or LeafKind.TimestampMicrosLocal:
                    column.AddInt64(TicksSinceEpoch(value, kind == LeafKind.TimestampMicrosUtc) / 10);
                    break;
                case LeafKind.Int96Nanos:
                {
                    var nanos = (long)value;
                    var day = Math.DivRem(nanos, NanosPerDay, out var nanosOfDay);
                    if (nanosOfDay < 0)
                    {
                        nanosOfDay += NanosPerDay;
                        day--;
                    }

                    var span = column.ReserveBytes(12);
                    BinaryPrimitives.WriteInt64LittleEndian(span, nanosOfDay);
                    BinaryPrimitives.WriteInt32LittleEndian(span[8..], (int)(day + JulianDayOfUnixEpoch));
                    column.CommitBytes(12);
                    break;
                }
                case LeafKind.DecimalInt32: column.AddInt32((int)Unscaled(value, scale)); break;
                case LeafKind.DecimalInt64: column.AddInt64((long)Unscaled(value, scale)); break;
                case LeafKind.DecimalBinary:
                {
                    var unscaled = Unscaled(value, scale);
                    var length = unscaled.GetByteCount();
                    unscaled.TryWriteBytes(column.ReserveBytes(length), out _, isBigEndian: true);
                    column.CommitBytes(length);
                    break;
                }
                case LeafKind.DecimalFixed:
                {
                    var unscaled = Unscaled(value, scale);
                    var size = column.TypeLength;
                    var length = unscaled.GetByteCount();
                    if (length > size)
                    {
                        throw new InvalidCastException($"Decimal {value} needs {length} bytes but the column holds {size}.");
                    }

                    var span = column.ReserveBytes(size);
                    span[..(size - length)].Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
                    unscaled.TryWriteBytes(span[(size - length)..], out _, isBigEndian: true);
                    column.CommitBytes(size);
                    break;
                }
                case LeafKind.String:
                {
                    var s = (string)value;
                    var span = column.ReserveBytes(Encoding.UTF8.GetMaxByteCount(s.Length));
                    column.CommitBytes(Encoding.UTF8.GetBytes(s, span));
                    break;
                }
                case LeafKind.Bytes: column.AddBytes((byte[])value); break;
                case LeafKind.Fixed:
                {
                    var bytes = (byte[])value;
                    if (bytes.Length != column.TypeLength)
                    {
                        throw new InvalidCastException($"A fixed value of {bytes.Length} bytes does not fit a column of {column.TypeLength}.");
                    }

                    column.AddBytes(bytes);
                    break;
                }
                case LeafKind.Uuid:
                {
                    var guid = value is string text ? Guid.Parse(text) : (Guid)value;
                    guid.TryWriteBytes(column.ReserveBytes(16), bigEndian: true, out _);
                    column.CommitBytes(16);
                    break;
                }
                case LeafKind.Duration:
                {
                    var d = (DurationValue)value;
                    var span = column.ReserveBytes(12);
                    BinaryPrimitives.WriteUInt32LittleEndian(span, d.Months);
                    BinaryPrimitives.WriteUInt32LittleEndian(span[4..], d.Days);
                    BinaryPrimitives.WriteUInt32LittleEndian(span[8..], d.Milliseconds);
                    column.CommitBytes(12);
                    break;
                }
                case LeafKind.Float16:
                {
                    var span = column.ReserveBytes(2);
                    BinaryPrimitives.WriteHalfLittleEndian(span, (Half)(float)value);
                    column.CommitBytes(2);
                    break;
                }
                default:
                    throw new InvalidOperationException($"Unknown leaf kind {kind}.");
            }
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArithmeticException or FormatException or NullReferenceException)
        {
            throw new ParquetException($"Value {ValueEquality.Format(value)} ({value.GetType().Name}) of field '{path}' does not fit the column: {e.Message}", column: path, innerException: e);
        }
    }

    /// <summary>
    /// Reads value <paramref name="index"/> like <see cref="Read"/>, converting each distinct value of a
    /// dictionary-encoded chunk once. Immutable values (strings, boxed numbers, dates) are shared between
    /// records; byte arrays, which callers may change, are not.
    /// </summary>
    public static object ReadShared(ColumnBuffer column, int index, LeafKind kind, int scale)
    {
        if (column.DictionaryIndexes is not { } indexes || kind is LeafKind.Bytes or LeafKind.Fixed)
        {
            return Read(column, index, kind, scale);
        }

        var dictionary = column.Dictionary!;
        var cache = column.DictionaryValueCache ??= new object?[dictionary.ValueCount];
        var d = indexes[index];
        return cache[d] ??= Read(dictionary, d, kind, scale);
    }

    /// <summary>Reads value <paramref name="index"/> of <paramref name="column"/> as its CLR value.</summary>
    public static object Read(ColumnBuffer column, int index, LeafKind kind, int scale) => kind switch
    {
        LeafKind.Boolean => column.Booleans[index] ? True : False,
        LeafKind.Int32 => column.Int32s[index],
        LeafKind.UInt32AsInt64 => (long)(uint)column.Int32s[index],
        LeafKind.Int64 => column.Int64s[index],
        LeafKind.Float => column.Floats[index],
        LeafKind.Double => column.Doubles[index],
        LeafKind.Date => Date(column.Int32s[index]),
        LeafKind.TimeMillis => TimeOfDay(column.Int32s[index], TimeSpan.TicksPerMillisecond, "TIME(MILLIS)"),
        LeafKind.TimeMicros => TimeOfDay(column.Int64s[index], 10, "TIME(MICROS)"),
        LeafKind.TimestampMillisUtc => Timestamp(column.Int64s[index], TimeSpan.TicksPerMillisecond, DateTimeKind.Utc, "TIMESTAMP(MILLIS)"),
        LeafKind.TimestampMillisLocal => Timestamp(column.Int64s[index], TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified, "TIMESTAMP(MILLIS)"),
        LeafKind.TimestampMicrosUtc => Timestamp(column.Int64s[index], 10, DateTimeKind.Utc, "TIMESTAMP(MICROS)"),
        LeafKind.TimestampMicrosLocal => Timestamp(column.Int64s[index], 10, DateTimeKind.Unspecified, "TIMESTAMP(MICROS)"),
        LeafKind.Int96Nanos => Int96ToNanos(column.GetBytes(index)),
        LeafKind.DecimalInt32 => new DecimalValue(column.Int32s[index], scale),
        LeafKind.DecimalInt64 => new DecimalValue(column.Int64s[index], scale),
        LeafKind.DecimalBinary or LeafKind.DecimalFixed => new DecimalValue(
            column.GetBytes(index) is { Length: > 0 } b ? new BigInteger(b, isUnsigned: false, isBigEndian: true) : BigInteger.Zero, scale),
        LeafKind.String => Encoding.UTF8.GetString(column.GetBytes(index)),
        LeafKind.Bytes or LeafKind.Fixed => column.GetBytes(index).ToArray(),
        LeafKind.Uuid => new Guid(column.GetBytes(index), bigEndian: true),
        LeafKind.Duration => ReadDuration(column.GetBytes(index)),
        LeafKind.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(column.GetBytes(index)),
        _ => throw new InvalidOperationException($"Unknown leaf kind {kind}."),
    };

    /// <summary>Converts a constant (say from a predicate) to the physical value stored for it, as a comparable.</summary>
    public static IComparable? ToPhysical(object value, ColumnBuffer scratch, LeafKind kind, int scale, string path)
    {
        scratch.Clear();
        Append(scratch, value, kind, scale, path);
        return scratch.Type switch
        {
            Metadata.PhysicalType.Boolean => scratch.Booleans[0],
            Metadata.PhysicalType.Int32 => kind == LeafKind.UInt32AsInt64 ? null : scratch.Int32s[0],
            Metadata.PhysicalType.Int64 => scratch.Int64s[0],
            Metadata.PhysicalType.Float => scratch.Floats[0],
            Metadata.PhysicalType.Double => scratch.Doubles[0],
            _ => kind is LeafKind.String or LeafKind.Bytes or LeafKind.Uuid or LeafKind.Fixed
                ? new UnsignedBytes(scratch.GetBytes(0).ToArray())
                : null,
        };
    }

    private static DateOnly Date(int days) =>
        days is >= -UnixEpochDayNumber and <= MaxDayNumber - UnixEpochDayNumber
            ? DateOnly.FromDayNumber(days + UnixEpochDayNumber)
            : throw new InvalidDataException($"DATE value {days} (days since 1970-01-01) is outside the years 1 to 9999.");

    private static TimeOnly TimeOfDay(long value, long ticksPerUnit, string type)
    {
        var perDay = TimeSpan.TicksPerDay / ticksPerUnit;
        if (value < 0 || value >= perDay)
        {
            // Parquet.Net 6 writes TimeOnly's 100 ns ticks under TIME(MICROS), ten times too large.
            throw new InvalidDataException(
                $"{type} value {value} is not a time of day (0 to {perDay - 1}); a writer that stored 100 ns ticks (as Parquet.Net writes TimeOnly) gives values 10 times too large.");
        }

        return new TimeOnly(value * ticksPerUnit);
    }

    private static DateTime Timestamp(long value, long ticksPerUnit, DateTimeKind kind, string type)
    {
        if (value < -UnixEpochTicks / ticksPerUnit || value > (DateTime.MaxValue.Ticks - UnixEpochTicks) / ticksPerUnit)
        {
            throw new InvalidDataException($"{type} value {value} is outside the years 1 to 9999 that a DateTime holds.");
        }

        return new DateTime(UnixEpochTicks + value * ticksPerUnit, kind);
    }

    private static long Int96ToNanos(ReadOnlySpan<byte> bytes)
    {
        var nanosOfDay = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var julianDay = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        return (julianDay - JulianDayOfUnixEpoch) * NanosPerDay + nanosOfDay;
    }

    private static DurationValue ReadDuration(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(b), BinaryPrimitives.ReadUInt32LittleEndian(b[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));

    private static long TicksSinceEpoch(object value, bool utc) => value switch
    {
        DateTime dt => (utc && dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt).Ticks - UnixEpochTicks,
        DateTimeOffset dto => (utc ? dto.UtcTicks : dto.Ticks) - UnixEpochTicks,
        _ => throw new InvalidCastException("A timestamp needs a DateTime or DateTimeOffset."),
    };

    private static BigInteger Unscaled(object value, int scale) => value switch
    {
        DecimalValue d => d.Rescale(scale).Unscaled,
        decimal m => DecimalValue.FromDecimal(m).Rescale(scale).Unscaled,
        _ => throw new InvalidCastException("A decimal needs a DecimalValue."),
    };
}
