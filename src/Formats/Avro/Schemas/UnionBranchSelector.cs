using System.Collections;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// Picks the branch of a union that holds a value, by the rule of docs/record-model.md: <c>null</c> takes
/// the null branch, a <see cref="GenericRecord"/> the record branch of its full name, any other value the
/// first branch whose CLR type it has (an <c>int</c> also fits <c>long</c>, <c>float</c> and <c>double</c>
/// branches, a <c>long</c> fits <c>float</c> and <c>double</c>), in branch order.
/// </summary>
public static class UnionBranchSelector
{
    /// <summary>The index of the branch of <paramref name="union"/> that holds <paramref name="value"/>, or -1.</summary>
    public static int Select(UnionSchema union, object? value)
    {
        ArgumentNullException.ThrowIfNull(union);
        var branches = union.Branches;
        for (var i = 0; i < branches.Count; i++)
        {
            if (Accepts(branches[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="value"/> is a value of <paramref name="schema"/> at the top level.</summary>
    /// <remarks>Checks the CLR type (and for records, enums and fixed, the name, symbol or size), not nested values.</remarks>
    public static bool Accepts(Schema schema, object? value)
    {
        if (schema.LogicalType is { } logical)
        {
            return logical.Name switch
            {
                LogicalType.DecimalName => value is DecimalValue or decimal,
                LogicalType.UuidName => value is Guid,
                LogicalType.DateName => value is DateOnly,
                LogicalType.TimeMillisName or LogicalType.TimeMicrosName => value is TimeOnly,
                LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
                    or LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName => value is DateTime,
                LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName => value is long or int,
                LogicalType.DurationName => value is DurationValue,
                _ => false,
            };
        }

        return schema switch
        {
            { Type: SchemaType.Null } => value is null,
            { Type: SchemaType.Boolean } => value is bool,
            { Type: SchemaType.Int } => value is int,
            { Type: SchemaType.Long } => value is long or int,
            { Type: SchemaType.Float } => value is float or int or long,
            { Type: SchemaType.Double } => value is double or int or long,
            { Type: SchemaType.Bytes } => value is byte[],
            { Type: SchemaType.String } => value is string,
            RecordSchema record => value is GenericRecord r && r.Schema.FullName == record.FullName,
            EnumSchema e => value is string symbol && e.IndexOf(symbol) >= 0,
            ArraySchema => value is IList and not byte[] || value is IReadOnlyList<object?>,
            MapSchema => value is IReadOnlyDictionary<string, object?> or IDictionary,
            FixedSchema f => value is byte[] bytes && bytes.Length == f.Size,
            _ => false,
        };
    }
}
