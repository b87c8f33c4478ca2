using System.Runtime.CompilerServices;
using Streams.Formats.Model;

namespace Streams.Formats.Csv;

/// <summary>
/// Converts the fields of one column as <see cref="CsvValueConverter.Convert(ReadOnlySpan{char}, Schema, string)"/> does,
/// with what that decides per value (nullable? which union branch? which parser?) decided once per column: plain
/// numbers and text take a short path, and anything else, including every refusal, goes to the converter itself, so
/// values and error messages are its own.
/// </summary>
internal sealed class CsvFieldConverter
{
    private readonly Schema _schema;
    private readonly string _nullValue;
    private readonly bool _nullable;
    private readonly Kind _kind;

    /// <summary>Creates the converter of a column of <paramref name="schema"/> where <paramref name="nullValue"/> means null.</summary>
    public CsvFieldConverter(Schema schema, string nullValue)
    {
        _schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _nullValue = nullValue ?? throw new ArgumentNullException(nameof(nullValue));
        _nullable = CsvValueConverter.IsNullable(schema);
        _kind = KindOf(ValueSchema(schema));
    }

    private enum Kind
    {
        Other,
        String,
        Int,
        Long,
        Double,
    }

    /// <summary>Converts <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a value of the column's schema.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Convert(ReadOnlySpan<char> text)
    {
        if (_nullable && text.SequenceEqual(_nullValue))
        {
            return null;
        }

        switch (_kind)
        {
            case Kind.String:
                return text.ToString();
            case Kind.Int when CsvValueConverter.TryPlainDigits(text, 9, out var i):
                return (int)i;
            case Kind.Long when CsvValueConverter.TryPlainDigits(text, 18, out var l):
                return l;
            case Kind.Double when CsvValueConverter.TryPlainDecimal(text, out var d):
                return d;
            default:
                return CsvValueConverter.Convert(text, _schema, _nullValue);
        }
    }

    /// <summary>The one schema a value converts to: the schema itself, or a union's only non-null branch; null when there are several.</summary>
    private static Schema? ValueSchema(Schema schema)
    {
        if (schema is not UnionSchema union)
        {
            return schema;
        }

        Schema? value = null;
        foreach (var branch in union.Branches)
        {
            if (!branch.IsNull)
            {
                if (value is not null)
                {
                    return null;
                }

                value = branch;
            }
        }

        return value;
    }

    private static Kind KindOf(Schema? schema) => schema switch
    {
        null or { LogicalType: not null } => Kind.Other,
        { Type: SchemaType.String } => Kind.String,
        { Type: SchemaType.Int } => Kind.Int,
        { Type: SchemaType.Long } => Kind.Long,
        { Type: SchemaType.Double } => Kind.Double,
        _ => Kind.Other,
    };
}
