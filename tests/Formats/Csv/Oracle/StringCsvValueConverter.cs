using System.Globalization;
using System.Numerics;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Csv.Oracle;

/// <summary>
/// The CSV value conversions as they were before they read spans, kept unchanged as the oracle the differential tests
/// compare <see cref="Streams.Formats.Csv.CsvValueConverter"/> against.
/// </summary>
internal static class StringCsvValueConverter
{
    /// <summary>True when <paramref name="schema"/> admits null.</summary>
    public static bool IsNullable(Schema schema) =>
        schema.IsNull || (schema is UnionSchema u && u.Branches.Any(b => b.IsNull));

    /// <summary>Converts <paramref name="text"/> to a value of <paramref name="schema"/>.</summary>
    /// <exception cref="FormatException">The text is not a value of the schema.</exception>
    public static object? Convert(string text, Schema schema, string nullValue = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (text == nullValue && IsNullable(schema))
        {
            return null;
        }

        if (schema is UnionSchema union)
        {
            // A choice column: the first non-null branch the text converts to, in branch order.
            foreach (var branch in union.Branches)
            {
                if (!branch.IsNull && TryConvert(text, branch, out var value))
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

    private static bool TryConvert(string text, Schema schema, out object? value)
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
                return TryDecimal(text, schema.LogicalType!.Scale, out value);
        }

        switch (schema.Type)
        {
            case SchemaType.String or SchemaType.Enum:
                value = text;
                return schema is not EnumSchema e || e.Symbols.Contains(text);
            case SchemaType.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    value = b;
                    return true;
                }

                return false;
            case SchemaType.Int when int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i):
                value = i;
                return true;
            case SchemaType.Long when long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l):
                value = l;
                return true;
            case SchemaType.Float when float.TryParse(text, NumberStyles.Float, invariant, out var f):
                value = f;
                return true;
            case SchemaType.Double when double.TryParse(text, NumberStyles.Float, invariant, out var d):
                value = d;
                return true;
            case SchemaType.Bytes:
                try
                {
                    value = System.Convert.FromBase64String(text);
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

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
