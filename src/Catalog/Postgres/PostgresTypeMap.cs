using NpgsqlTypes;
using Streams.Formats.Json;
using Streams.Formats.Model;

namespace Streams.Catalog.Postgres;

/// <summary>
/// Maps model schemas to PostgreSQL column types and model values to what Npgsql writes for them:
/// int→integer, long→bigint, float→real, double→double precision, boolean, string→text,
/// bytes/fixed→bytea, decimal→numeric(p,s), uuid→uuid, date→date, time→time, timestamp→timestamptz,
/// local-timestamp→timestamp, duration→interval, enum→text, and records/arrays/maps/multi-branch
/// unions→jsonb.
/// </summary>
public static class PostgresTypeMap
{
    /// <summary>One column's PostgreSQL type and how values are written to it.</summary>
    /// <param name="SqlType">The column type in DDL, e.g. <c>numeric(10,2)</c>.</param>
    /// <param name="DbType">The Npgsql type used in binary COPY.</param>
    /// <param name="Convert">Converts a model value to the CLR value Npgsql writes.</param>
    public sealed record ColumnType(string SqlType, NpgsqlDbType DbType, Func<object, object> Convert);

    private static object Same(object value) => value;

    /// <summary>The column type of a field of schema <paramref name="schema"/>; nullable unions map to their branch.</summary>
    public static ColumnType Of(Schema schema)
    {
        if (schema.NonNullBranch is { } branch)
        {
            return Of(branch);
        }

        if (schema.LogicalType is { } logical)
        {
            switch (logical.Name)
            {
                case LogicalType.DecimalName:
                    return new ColumnType($"numeric({logical.Precision},{logical.Scale})", NpgsqlDbType.Numeric,
                        v => v is DecimalValue d ? d.ToDecimal() : v);
                case LogicalType.UuidName:
                    return new ColumnType("uuid", NpgsqlDbType.Uuid, Same);
                case LogicalType.DateName:
                    return new ColumnType("date", NpgsqlDbType.Date, Same);
                case LogicalType.TimeMillisName or LogicalType.TimeMicrosName:
                    return new ColumnType("time", NpgsqlDbType.Time, v => v is TimeOnly t ? t.ToTimeSpan() : v);
                case LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName:
                    return new ColumnType("timestamptz", NpgsqlDbType.TimestampTz,
                        v => v is DateTime { Kind: not DateTimeKind.Utc } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : v);
                case LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName:
                    return new ColumnType("timestamp", NpgsqlDbType.Timestamp,
                        v => v is DateTime { Kind: not DateTimeKind.Unspecified } t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : v);
                case LogicalType.DurationName:
                    return new ColumnType("interval", NpgsqlDbType.Interval,
                        v => v is DurationValue d ? new NpgsqlInterval((int)d.Months, (int)d.Days, d.Milliseconds * 1000L) : v);
            }
        }

        return schema.Type switch
        {
            SchemaType.Boolean => new ColumnType("boolean", NpgsqlDbType.Boolean, Same),
            SchemaType.Int => new ColumnType("integer", NpgsqlDbType.Integer, Same),
            SchemaType.Long => new ColumnType("bigint", NpgsqlDbType.Bigint, Same),
            SchemaType.Float => new ColumnType("real", NpgsqlDbType.Real, Same),
            SchemaType.Double => new ColumnType("double precision", NpgsqlDbType.Double, Same),
            SchemaType.String or SchemaType.Enum => new ColumnType("text", NpgsqlDbType.Text, Same),
            SchemaType.Bytes or SchemaType.Fixed => new ColumnType("bytea", NpgsqlDbType.Bytea, Same),
            SchemaType.Null => new ColumnType("text", NpgsqlDbType.Text, Same),
            _ => new ColumnType("jsonb", NpgsqlDbType.Jsonb, v => RecordJson.Serialize(schema, v)),
        };
    }

    /// <summary>
    /// The model schema for a PostgreSQL column as <c>information_schema.columns</c> reports it (<c>data_type</c>,
    /// <c>udt_name</c>, precision, scale): the one map of PostgreSQL types for join lookups and the PostgreSQL
    /// crawler (whose Glue type is <c>GlueTypes.ToTypeString</c> of this). smallint reads as int; numeric
    /// without a precision as double; arrays by their element type; unknown types read as strings.
    /// </summary>
    public static Schema FromSqlType(string dataType, int? precision, int? scale, string? udtName = null) => dataType switch
    {
        "smallint" or "integer" => PrimitiveSchema.Int,
        "bigint" => PrimitiveSchema.Long,
        "real" => PrimitiveSchema.Float,
        "double precision" => PrimitiveSchema.Double,
        "boolean" => PrimitiveSchema.Boolean,
        "bytea" => PrimitiveSchema.Bytes,
        "numeric" when precision is > 0 => new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(precision.Value, scale ?? 0)),
        "numeric" => PrimitiveSchema.Double,
        "uuid" => new PrimitiveSchema(SchemaType.String, LogicalType.Uuid),
        "date" => new PrimitiveSchema(SchemaType.Int, LogicalType.Date),
        "timestamp with time zone" => new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros),
        "timestamp without time zone" => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros),
        "ARRAY" when udtName is not null => new ArraySchema(FromSqlType(ElementDataType(udtName), null, null)),
        _ => PrimitiveSchema.String,
    };

    /// <summary>The <c>data_type</c> of an array's element from the array's <c>udt_name</c> (<c>_int4</c>...).</summary>
    private static string ElementDataType(string udtName) => udtName.TrimStart('_') switch
    {
        "int2" => "smallint",
        "int4" => "integer",
        "int8" => "bigint",
        "float4" => "real",
        "float8" => "double precision",
        "bool" => "boolean",
        "numeric" => "numeric",
        "date" => "date",
        "timestamp" => "timestamp without time zone",
        "timestamptz" => "timestamp with time zone",
        "bytea" => "bytea",
        "uuid" => "uuid",
        _ => "text",
    };

    /// <summary>Converts a value Npgsql read for a column of <see cref="FromSqlType"/>'s schema to the model's CLR value.</summary>
    public static object? FromDatabase(object? value) => value switch
    {
        null or DBNull => null,
        short s => (int)s,
        decimal m => DecimalValue.FromDecimal(m),
        DateTime { Kind: DateTimeKind.Local } dt => dt.ToUniversalTime(),
        _ => value,
    };

    /// <summary>Quotes an SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
