using System.Collections;
using Streams.Formats.Model;

namespace Streams.Formats.Parquet.Columns;

/// <summary>Picks the union branch of a value by the rules in docs/record-model.md ("Union branch selection").</summary>
internal static class UnionBranches
{
    public static int Select(UnionSchema union, object value)
    {
        var branches = union.Branches;
        if (value is GenericRecord record)
        {
            for (var i = 0; i < branches.Count; i++)
            {
                if (branches[i] is RecordSchema r && r.FullName == record.Schema.FullName)
                {
                    return i;
                }
            }

            return -1;
        }

        for (var i = 0; i < branches.Count; i++)
        {
            if (Accepts(branches[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Accepts(Model.Schema branch, object value)
    {
        var logical = branch.LogicalType?.Name;
        return branch.Type switch
        {
            SchemaType.Boolean => value is bool,
            SchemaType.Int => logical switch
            {
                LogicalType.DateName => value is DateOnly,
                LogicalType.TimeMillisName => value is TimeOnly,
                _ => value is int,
            },
            SchemaType.Long => logical switch
            {
                LogicalType.TimeMicrosName => value is TimeOnly,
                LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
                    or LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName => value is DateTime,
                _ => value is long or int,
            },
            SchemaType.Float => value is float or int or long,
            SchemaType.Double => value is double or float or int or long,
            SchemaType.Bytes => logical == LogicalType.DecimalName ? value is DecimalValue : value is byte[],
            SchemaType.String => logical == LogicalType.UuidName ? value is Guid : value is string,
            SchemaType.Enum => value is string s && ((EnumSchema)branch).IndexOf(s) >= 0,
            SchemaType.Fixed => logical switch
            {
                LogicalType.DecimalName => value is DecimalValue,
                LogicalType.UuidName => value is Guid,
                LogicalType.DurationName => value is DurationValue,
                _ => value is byte[] b && b.Length == ((FixedSchema)branch).Size,
            },
            SchemaType.Array => value is IList and not byte[],
            SchemaType.Map => value is IDictionary or IReadOnlyDictionary<string, object?>,
            _ => false,
        };
    }
}
