using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Streams.Serving.Query;

/// <summary>Renders a <see cref="QueryResult"/> as an aligned text table, JSON, or CSV (RFC 4180).</summary>
public static class QueryResultFormatter
{
    /// <summary>Formats <paramref name="result"/> as <c>table</c>, <c>json</c> or <c>csv</c>.</summary>
    public static string Format(QueryResult result, string format) => format.ToLowerInvariant() switch
    {
        "table" => Table(result),
        "json" => Json(result),
        "csv" => Csv(result),
        _ => throw new ArgumentException($"Unknown output format '{format}'; use table, json or csv.", nameof(format)),
    };

    /// <summary>An aligned table with a header, a rule, one line per row and a row count.</summary>
    public static string Table(QueryResult result)
    {
        var cells = result.Rows.Select(r => r.Select(Text).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Max(c.Name.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var numeric = result.Columns.Select(c => c.Type is "integer" or "bigint" or "smallint" or "real" or "double precision" || c.Type.StartsWith("numeric", StringComparison.Ordinal)).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join(" | ", result.Columns.Select((c, i) => c.Name.PadRight(widths[i]))).TrimEnd());
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            text.AppendLine(string.Join(" | ", row.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd());
        }

        text.Append(CultureInfo.InvariantCulture, $"({result.Rows.Count} row{(result.Rows.Count == 1 ? "" : "s")}{(result.Truncated ? ", truncated at the row limit" : "")})");
        text.AppendLine();
        return text.ToString();
    }

    /// <summary><c>{"columns":[{"name","type"}...],"rows":[{...}],"truncated":false}</c>.</summary>
    public static string Json(QueryResult result)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteJson(writer, result);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>Writes the JSON form of <paramref name="result"/>.</summary>
    public static void WriteJson(Utf8JsonWriter writer, QueryResult result)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in result.Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (var row in result.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                writer.WritePropertyName(result.Columns[i].Name);
                if (row[i] is string s && result.Columns[i].Type is "jsonb" or "json")
                {
                    writer.WriteRawValue(s);
                }
                else
                {
                    ModelJson.Write(writer, row[i]);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("truncated", result.Truncated);
        writer.WriteEndObject();
    }

    /// <summary>A header line and one line per row; fields with commas, quotes or line breaks are quoted.</summary>
    public static string Csv(QueryResult result)
    {
        var text = new StringBuilder();
        text.Append(string.Join(",", result.Columns.Select(c => CsvField(c.Name)))).Append("\r\n");
        foreach (var row in result.Rows)
        {
            text.Append(string.Join(",", row.Select(v => v is null ? "" : CsvField(Text(v))))).Append("\r\n");
        }

        return text.ToString();
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime { Kind: DateTimeKind.Utc } dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f and not Array => f.ToString(null, CultureInfo.InvariantCulture),
        _ => ModelJson.Serialize(value),
    };
}
