using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Streams.Formats.Model;

namespace Streams.Formats.Csv;

/// <summary>
/// Converts the text of a delimited field to the CLR value of a schema (docs/record-model.md), using the
/// invariant culture. Conversions that cannot be made throw <see cref="FormatException"/> saying why.
/// </summary>
public static class CsvValueConverter
{
    /// <summary>True when <paramref name="schema"/> admits null.</summary>
    public static bool IsNullable(Schema schema)
    {
        if (schema.IsNull)
        {
            return true;
        }

        if (schema is UnionSchema union)
        {
            var branches = union.Branches;
            for (var i = 0; i < branches.Count; i++)
            {
                if (branches[i].IsNull)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Converts <paramref name="text"/> to a value of <paramref name="schema"/>.</summary>
    /// <exception cref="FormatException">The text is not a value of the schema.</exception>
    public static object? Convert(string text, Schema schema, string nullValue = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert(text.AsSpan(), schema, nullValue);
    }

    /// <summary>Converts <paramref name="text"/> to a value of <paramref name="schema"/>; a string is made only for text values.</summary>
    /// <exception cref="FormatException">The text is not a value of the schema.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Convert(ReadOnlySpan<char> text, Schema schema, string nullValue = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (text.SequenceEqual(nullValue) && IsNullable(schema))
        {
            return null;
        }

        if (schema is UnionSchema union)
        {
            // A choice column: the first non-null branch the text converts to, in branch order.
            var branches = union.Branches;
            for (var i = 0; i < branches.Count; i++)
            {
                if (!branches[i].IsNull && TryConvert(text, branches[i], out var value))
                {
                    return value;
                }
            }

            throw new FormatException($"'{Shorten(text)}' is not a value of {schema.DisplayName}.");
        }

        return TryConvert(text, schema, out var result)
            ? result
            : throw new FormatException($"'{Shorten(text)}' is not a valid {schema.DisplayName}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryConvert(ReadOnlySpan<char> text, Schema schema, out object? value)
    {
        var invariant = CultureInfo.InvariantCulture;
        value = null;
        switch (schema.LogicalType?.Name)
        {
            case LogicalType.DateName when DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date):
                value = date;
                return true;
            case LogicalType.DateName:
                return false;
            case LogicalType.UuidName when Guid.TryParse(text, out var uuid):
                value = uuid;
                return true;
            case LogicalType.UuidName:
                return false;
            case LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
                when DateTime.TryParse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var ts):
                value = DateTime.SpecifyKind(ts, DateTimeKind.Utc);
                return true;
            case LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName
                when DateTime.TryParse(text, invariant, DateTimeStyles.None, out var local):
                value = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
                return true;
            case LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
                or LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName:
                return false;
            case LogicalType.DecimalName:
                return TryDecimal(text.ToString(), schema.LogicalType!.Scale, out value);
        }

        switch (schema.Type)
        {
            case SchemaType.String or SchemaType.Enum:
                var s = text.ToString();
                value = s;
                return schema is not EnumSchema e || e.Symbols.Contains(s);
            case SchemaType.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    value = b;
                    return true;
                }

                return false;
            case SchemaType.Int when TryPlainDigits(text, 9, out var plain):
                value = (int)plain;
                return true;
            case SchemaType.Int when int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i):
                value = i;
                return true;
            case SchemaType.Long when TryPlainDigits(text, 18, out var plain):
                value = plain;
                return true;
            case SchemaType.Long when long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l):
                value = l;
                return true;
            case SchemaType.Float when float.TryParse(text, NumberStyles.Float, invariant, out var f):
                value = f;
                return true;
            case SchemaType.Double when TryPlainDecimal(text, out var plainDouble):
                value = plainDouble;
                return true;
            case SchemaType.Double when double.TryParse(text, NumberStyles.Float, invariant, out var d):
                value = d;
                return true;
            case SchemaType.Bytes:
                try
                {
                    value = System.Convert.FromBase64String(text.ToString());
                    return true;
                }
                catch (FormatException)
                {
                    return false;
                }

            case SchemaType.Null:
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The value of up to <paramref name="maxDigits"/> ASCII digits and nothing else, which the integer parsers read as the same
    /// number: a shortcut for the common case that leaves signs, overflow and refusals to them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryPlainDigits(ReadOnlySpan<char> text, int maxDigits, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > maxDigits)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>
    /// The value of ASCII digits with an optional fraction (<c>52.28</c>), 15 digits at most and nothing else: a shortcut for
    /// the common case that double.TryParse reads as the same number, because those digits as an integer and the power of
    /// ten below them are exact doubles, and one IEEE division of exact operands rounds correctly, as the parser does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryPlainDecimal(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.IsEmpty || (point >= 0 && fraction.IsEmpty) || whole.Length + fraction.Length > 15
            || !TryPlainDigits(whole, 15, out var integer) || (!fraction.IsEmpty && !TryPlainDigits(fraction, 15, out var _)))
        {
            return false;
        }

        foreach (var c in fraction)
        {
            integer = (integer * 10) + (c - '0');
        }

        value = integer / PowersOfTen[fraction.Length];
        return true;
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private static bool TryDecimal(string text, int scale, out object? value)
    {
        value = null;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (fraction.Length > scale || (whole.Length == 0 && fraction.Length == 0)
            || !(whole + fraction).All(char.IsAsciiDigit))
        {
            return false;
        }

        var digits = whole + fraction.PadRight(scale, '0');
        var unscaled = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        value = new DecimalValue(negative ? -unscaled : unscaled, scale);
        return true;
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "...");
}
