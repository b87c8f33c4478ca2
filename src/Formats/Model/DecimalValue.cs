using System.Globalization;
using System.Numerics;

namespace Streams.Formats.Model;

/// <summary>
/// An exact decimal: an unscaled integer and a scale (value = unscaled × 10^-scale). Avro and Parquet
/// decimals reach 38 digits and more, beyond <see cref="decimal"/>, so this is the carrier.
/// </summary>
public readonly record struct DecimalValue(BigInteger Unscaled, int Scale) : IFormattable
{
    /// <summary>Converts a <see cref="decimal"/> exactly, keeping its scale.</summary>
    public static DecimalValue FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return new DecimalValue(bits[3] < 0 ? -magnitude : magnitude, scale);
    }

    /// <summary>Converts to <see cref="decimal"/>; throws <see cref="OverflowException"/> past its range.</summary>
    public decimal ToDecimal()
    {
        var magnitude = BigInteger.Abs(Unscaled);
        if (Scale is >= 0 and <= 28 && magnitude.GetBitLength() <= 96)
        {
            Span<byte> bytes = stackalloc byte[12];
            magnitude.TryWriteBytes(bytes, out _, isUnsigned: true);
            return new decimal(
                BitConverter.ToInt32(bytes[..4]), BitConverter.ToInt32(bytes[4..8]), BitConverter.ToInt32(bytes[8..]),
                Unscaled.Sign < 0, (byte)Scale);
        }

        return decimal.Parse(ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The same number with another scale; throws when digits would be lost.</summary>
    public DecimalValue Rescale(int scale)
    {
        if (scale == Scale)
        {
            return this;
        }

        if (scale > Scale)
        {
            return new DecimalValue(Unscaled * BigInteger.Pow(10, scale - Scale), scale);
        }

        var divisor = BigInteger.Pow(10, Scale - scale);
        var quotient = BigInteger.DivRem(Unscaled, divisor, out var remainder);
        return remainder.IsZero
            ? new DecimalValue(quotient, scale)
            : throw new ArithmeticException($"Rescaling {this} to scale {scale} would lose digits.");
    }

    /// <summary>Parses an invariant-culture decimal string such as <c>-12.340</c>, keeping its scale.</summary>
    public static DecimalValue Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var s = text.AsSpan().Trim();
        var dot = s.IndexOf('.');
        var digits = dot < 0 ? s.ToString() : string.Concat(s[..dot], s[(dot + 1)..]);
        var scale = dot < 0 ? 0 : s.Length - dot - 1;
        if (!BigInteger.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unscaled))
        {
            throw new FormatException($"'{text}' is not a decimal number.");
        }

        return new DecimalValue(unscaled, scale);
    }

    /// <summary>The plain decimal notation, e.g. <c>-12.340</c> for unscaled -12340 at scale 3.</summary>
    public override string ToString()
    {
        if (Scale <= 0)
        {
            return (Unscaled * BigInteger.Pow(10, -Scale)).ToString(CultureInfo.InvariantCulture);
        }

        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(Scale + 1, '0');
        var sign = Unscaled.Sign < 0 ? "-" : "";
        return $"{sign}{digits[..^Scale]}.{digits[^Scale..]}";
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();
}
