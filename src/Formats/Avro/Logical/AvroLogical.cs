using System.Buffers.Binary;
using System.Numerics;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Logical;

/// <summary>
/// Conversions between Avro's encodings of logical types and the CLR values of docs/record-model.md,
/// shared by the binary plans and the JSON lines codec.
/// </summary>
internal static class AvroLogical
{
    /// <summary>The day number of 1970-01-01.</summary>
    public static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The ticks of the Unix epoch.</summary>
    public static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    private static readonly long MaxTicksSinceEpoch = DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;
    private static readonly long MinTicksSinceEpoch = -DateTime.UnixEpoch.Ticks;

    /// <summary>
    /// The logical type of <paramref name="schema"/> if it is valid for the underlying type (the model
    /// keeps invalid annotations only when built by hand; they are ignored, as the specification says).
    /// </summary>
    public static string? EffectiveLogicalName(Schema schema)
    {
        var logical = schema.LogicalType;
        if (logical is null)
        {
            return null;
        }

        var valid = AvroLogicalTypes.IsValidOn(logical, schema.Type, (schema as FixedSchema)?.Size ?? 0);
        return valid ? logical.Name : null;
    }

    /// <summary>Days since the epoch of a date.</summary>
    public static int DaysFromDate(DateOnly date) => date.DayNumber - EpochDayNumber;

    /// <summary>Ticks since the epoch (of a timestamp) to a <see cref="DateTime"/>; null when out of range.</summary>
    public static DateTime? DateTimeFromTicksSinceEpoch(long ticks, DateTimeKind kind) =>
        ticks >= MinTicksSinceEpoch && ticks <= MaxTicksSinceEpoch ? new DateTime(EpochTicks + ticks, kind) : null;

    /// <summary>
    /// Multiplies a count of <paramref name="unitTicks"/>-tick units by the unit, or null on overflow or
    /// beyond <see cref="DateTime"/>'s range.
    /// </summary>
    public static DateTime? DateTimeFromUnits(long units, long unitTicks, DateTimeKind kind)
    {
        if (units > MaxTicksSinceEpoch / unitTicks || units < MinTicksSinceEpoch / unitTicks)
        {
            return null;
        }

        return DateTimeFromTicksSinceEpoch(units * unitTicks, kind);
    }

    /// <summary>
    /// Ticks since the epoch of a timestamp value: a <see cref="DateTime"/> (local times are converted to
    /// UTC for UTC timestamps, other kinds taken as they are) or a <see cref="DateTimeOffset"/>.
    /// </summary>
    public static bool TryGetTicksSinceEpoch(object? value, bool utc, out long ticks)
    {
        switch (value)
        {
            case DateTime dt:
                ticks = (utc && dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt).Ticks - EpochTicks;
                return true;
            case DateTimeOffset dto:
                ticks = (utc ? dto.UtcTicks : dto.Ticks) - EpochTicks;
                return true;
            default:
                ticks = 0;
                return false;
        }
    }

    /// <summary>Floor division, so that times before the epoch round toward negative infinity like Java's.</summary>
    public static long FloorDiv(long value, long divisor)
    {
        var q = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? q - 1 : q;
    }

    /// <summary>A decimal from its big-endian two's complement unscaled bytes.</summary>
    public static DecimalValue DecimalFromBytes(ReadOnlySpan<byte> bytes, int scale) =>
        new(bytes.IsEmpty ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale);

    /// <summary>A duration from its 12 bytes: three little-endian unsigned 32-bit integers.</summary>
    public static DurationValue DurationFromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
}
