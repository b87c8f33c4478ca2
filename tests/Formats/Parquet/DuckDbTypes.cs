using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Streams.Formats.Model;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Tests.Parquet;

/// <summary>
/// The record model schema a DuckDB type should read as, written down from DuckDB's own type names
/// (<c>DESCRIBE</c>), so that a test's expectations come from DuckDB and not from the schema Streams derived.
/// </summary>
/// <remarks>
/// DuckDB writes every column, struct field, list element and map value OPTIONAL (its map keys REQUIRED), so
/// each of them is nullable here; <see cref="ElementRows"/> lets a test check that against DuckDB's parquet_schema.
/// </remarks>
public static partial class DuckDbTypes
{
    private static int _structs;

    /// <summary>The nullable model schema of a column DuckDB describes as <paramref name="duckDbType"/>.</summary>
    public static Schema ToSchema(string duckDbType)
    {
        var position = 0;
        var schema = Parse(duckDbType, ref position);
        return position == duckDbType.Length
            ? schema
            : throw new FormatException($"Unexpected '{duckDbType[position..]}' in DuckDB type {duckDbType}.");
    }

    /// <summary>
    /// A compact description of a model schema's type, the same for the schemas that read the same values:
    /// <c>?</c> marks a nullable type, and a decimal is <c>decimal(p,s)</c> whether bytes or fixed carry it.
    /// </summary>
    public static string Describe(Schema schema) => schema switch
    {
        UnionSchema { NonNullBranch: { } inner } => Describe(inner) + "?",
        UnionSchema union => "union<" + string.Join(",", union.Branches.Select(Describe)) + ">",
        RecordSchema record => "struct<" + string.Join(",", record.Fields.Select(f => f.Name + ":" + Describe(f.Schema))) + ">",
        ArraySchema array => "list<" + Describe(array.Items) + ">",
        MapSchema map => "map<" + Describe(map.Values) + ">",
        { LogicalType: { Name: LogicalType.DecimalName } d } => $"decimal({d.Precision},{d.Scale})",
        { LogicalType: { } logical } => $"{Schema.TypeName(schema.Type)}:{logical.Name}",
        FixedSchema f => $"fixed({f.Size})",
        _ => Schema.TypeName(schema.Type),
    };

    /// <summary>
    /// DuckDB's parquet_schema rows rendered as one line per schema element (name, physical type, length,
    /// repetition, children, converted type, scale, precision, logical type), to compare with <see cref="ElementLine"/>.
    /// </summary>
    public static IEnumerable<string> ElementRows(JsonArray parquetSchemaRows) => parquetSchemaRows.Select(r =>
    {
        string? Get(string key) => r![key]?.GetValue<string>();
        return Line(Get("name")!, Get("type") is { } t ? Upper(t) : null, Get("type_length"), Get("repetition_type"),
            Get("num_children"), Get("converted_type") is { } c ? Upper(c) : null, Get("scale"), Get("precision"),
            DuckDbLogicalType(Get("logical_type")));
    });

    /// <summary>One schema element as Streams read it from the footer, in the form of <see cref="ElementRows"/>.</summary>
    public static string ElementLine(SchemaElement e) => Line(e.Name,
        e.Type is { } t ? Upper(t.ToString()) : null, Text(e.TypeLength), e.RepetitionType is { } r ? Upper(r.ToString()) : null,
        Text(e.NumChildren), e.ConvertedType is { } c ? Upper(c.ToString()) : null, Text(e.Scale), Text(e.Precision),
        StreamsLogicalType(e.LogicalType));

    private static string Line(string name, string? type, string? length, string? repetition, string? children,
        string? converted, string? scale, string? precision, string? logical) =>
        $"{name} {type ?? "-"}({length ?? "-"}) {repetition ?? "-"} children={children ?? "-"} converted={converted ?? "-"} " +
        $"scale={scale ?? "-"} precision={precision ?? "-"} logical={logical ?? "-"}";

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    // FIXED_LEN_BYTE_ARRAY and FixedLenByteArray, TIMESTAMP_MICROS and TimestampMicros meet here.
    private static string Upper(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>
    /// DuckDB prints the logical types it interprets (decimal, time, timestamp, UUID) and leaves the others
    /// (string, list, map, integer) empty, so only those four are compared.
    /// </summary>
    private static string? StreamsLogicalType(LogicalTypeAnnotation? logical) => logical?.Kind switch
    {
        LogicalTypeKind.Decimal => $"decimal({logical.Precision},{logical.Scale})",
        LogicalTypeKind.Time or LogicalTypeKind.Timestamp =>
            $"{logical.Kind.ToString().ToLowerInvariant()}(utc={logical.IsAdjustedToUtc},{logical.Unit.ToString().ToUpperInvariant()})",
        LogicalTypeKind.Uuid => "uuid",
        _ => null,
    };

    private static string? DuckDbLogicalType(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DecimalPattern().Match(text) is { Success: true } d)
        {
            return $"decimal({d.Groups["p"].Value},{d.Groups["s"].Value})";
        }

        if (TemporalPattern().Match(text) is { Success: true } t)
        {
            var unit = UnitPattern().Match(text).Groups["unit"].Value;
            return $"{t.Groups["kind"].Value.ToLowerInvariant()}(utc={t.Groups["utc"].Value == "1"},{unit})";
        }

        return text == "UUIDType()" ? "uuid" : throw new FormatException($"DuckDB logical type '{text}' is not mapped.");
    }

    [GeneratedRegex(@"^DecimalType\(scale=(?<s>\d+), precision=(?<p>\d+)\)$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^(?<kind>Time|Timestamp)Type\(isAdjustedToUTC=(?<utc>[01]),")]
    private static partial Regex TemporalPattern();

    [GeneratedRegex(@"(?<unit>MILLIS|MICROS|NANOS)=[A-Za-z]+\(\)")]
    private static partial Regex UnitPattern();

    private static Schema Parse(string text, ref int p)
    {
        var name = ReadWord(text, ref p);
        Schema schema;
        switch (name)
        {
            case "STRUCT":
                Expect(text, ref p, '(');
                var fields = new List<Field>();
                do
                {
                    SkipSpaces(text, ref p);
                    var field = ReadName(text, ref p);
                    SkipSpaces(text, ref p);
                    fields.Add(new Field(field, Parse(text, ref p)));
                }
                while (TryTake(text, ref p, ','));

                Expect(text, ref p, ')');
                schema = new RecordSchema(new SchemaName("struct" + Interlocked.Increment(ref _structs), "duckdb"), fields);
                break;
            case "MAP":
                Expect(text, ref p, '(');
                var key = ReadWord(text, ref p);
                if (key != "VARCHAR")
                {
                    throw new FormatException($"A model map has string keys; DuckDB type {text} has {key} keys.");
                }

                Expect(text, ref p, ',');
                SkipSpaces(text, ref p);
                var values = Parse(text, ref p);
                Expect(text, ref p, ')');
                schema = new MapSchema(values);
                break;
            case "DECIMAL":
                Expect(text, ref p, '(');
                var precision = int.Parse(ReadWord(text, ref p), CultureInfo.InvariantCulture);
                Expect(text, ref p, ',');
                var scale = int.Parse(ReadWord(text, ref p), CultureInfo.InvariantCulture);
                Expect(text, ref p, ')');
                schema = new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(precision, scale));
                break;
            case "TIMESTAMP" when TryTakeWords(text, ref p, " WITH TIME ZONE"):
                schema = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
                break;
            default:
                schema = Primitive(name, text);
                break;
        }

        schema = UnionSchema.Nullable(schema);
        while (TryTakeWords(text, ref p, "[]"))
        {
            schema = UnionSchema.Nullable(new ArraySchema(schema));
        }

        return schema;
    }

    private static Schema Primitive(string name, string text) => name switch
    {
        "BOOLEAN" => PrimitiveSchema.Boolean,
        // Streams reads every INT32 without a date or time annotation as int, whatever its width.
        "TINYINT" or "SMALLINT" or "INTEGER" or "UTINYINT" or "USMALLINT" => PrimitiveSchema.Int,
        "BIGINT" or "UINTEGER" => PrimitiveSchema.Long,
        "FLOAT" => PrimitiveSchema.Float,
        "DOUBLE" => PrimitiveSchema.Double,
        "VARCHAR" => PrimitiveSchema.String,
        "BLOB" => PrimitiveSchema.Bytes,
        "UUID" => new PrimitiveSchema(SchemaType.String, LogicalType.Uuid),
        "DATE" => new PrimitiveSchema(SchemaType.Int, LogicalType.Date),
        "TIME" => new PrimitiveSchema(SchemaType.Long, LogicalType.TimeMicros),
        "TIMESTAMP" => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros),
        "TIMESTAMP_MS" => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMillis),
        "TIMESTAMP_NS" => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampNanos),
        _ => throw new FormatException($"DuckDB type {name} (in {text}) has no expected model type yet: add it here."),
    };

    private static string ReadWord(string text, ref int p)
    {
        SkipSpaces(text, ref p);
        var start = p;
        while (p < text.Length && (char.IsLetterOrDigit(text[p]) || text[p] == '_'))
        {
            p++;
        }

        return p > start ? text[start..p] : throw new FormatException($"Expected a type name at {p} in {text}.");
    }

    private static string ReadName(string text, ref int p)
    {
        if (p >= text.Length || text[p] != '"')
        {
            return ReadWord(text, ref p);
        }

        var name = new StringBuilder();
        for (p++; p < text.Length; p++)
        {
            if (text[p] == '"' && !(p + 1 < text.Length && text[p + 1] == '"'))
            {
                p++;
                return name.ToString();
            }

            name.Append(text[p]);
            p += text[p] == '"' ? 1 : 0;
        }

        throw new FormatException($"Unterminated quoted name in {text}.");
    }

    private static void SkipSpaces(string text, ref int p)
    {
        while (p < text.Length && text[p] == ' ')
        {
            p++;
        }
    }

    private static bool TryTake(string text, ref int p, char c)
    {
        SkipSpaces(text, ref p);
        if (p < text.Length && text[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }

    private static bool TryTakeWords(string text, ref int p, string words)
    {
        if (string.CompareOrdinal(text, p, words, 0, words.Length) == 0)
        {
            p += words.Length;
            return true;
        }

        return false;
    }

    private static void Expect(string text, ref int p, char c)
    {
        if (!TryTake(text, ref p, c))
        {
            throw new FormatException($"Expected '{c}' at {p} in DuckDB type {text}.");
        }
    }
}
