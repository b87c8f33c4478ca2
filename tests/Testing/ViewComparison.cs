using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Streams.Testing;

/// <summary>
/// The aggregation the backfill tests run, as a pipeline and as DuckDB SQL, and both results rendered as the same
/// text rows (timestamps in UTC, numbers as invariant decimals, averages to 9 digits) so they compare exactly.
/// </summary>
public static class ViewComparison
{
    /// <summary>The measure columns, in order.</summary>
    public static readonly string[] Columns = ["customer", "window_start", "orders", "revenue", "biggest", "smallest_qty", "avg_qty", "notes", "distinct_notes"];

    /// <summary>The pipeline over <paramref name="path"/> (a lake path), hourly per customer.</summary>
    public static string Pipeline(string name, string path, string bookmarks = "disable", string? filter = null) => $$"""
        name: {{name}}
        source: { batch: { path: {{path}}, bookmarks: {{bookmarks}} } }
        transforms: [{{(filter is null ? "" : $"{{ filter: \"{filter}\" }}")}}]
        window: { type: tumbling, time: ts, size: 1h }
        aggregate:
          group_by: [customer]
          measures:
            orders: count()
            revenue: sum(amount)
            biggest: max(amount)
            smallest_qty: min(qty)
            avg_qty: avg(qty)
            notes: count(note)
            distinct_notes: count_distinct(note)
        sinks: [{ serving: {{name}} }]
        """;

    /// <summary>DuckDB's SQL for the same aggregation over the view <c>orders</c>.</summary>
    public static string DuckDbSql(string? where = null) => $"""
        SELECT customer, time_bucket(INTERVAL '1 hour', ts) AS window_start, count(*) AS orders, sum(amount) AS revenue,
               max(amount) AS biggest, min(qty) AS smallest_qty, avg(qty) AS avg_qty, count(note) AS notes, count(DISTINCT note) AS distinct_notes
        FROM orders {(where is null ? "" : "WHERE " + where)} GROUP BY ALL ORDER BY customer, window_start
        """;

    /// <summary>DuckDB's rows as text.</summary>
    public static List<string> Render(JsonArray rows, IReadOnlyList<string>? columns = null) =>
        [.. rows.Select(r => string.Join(" | ", (columns ?? Columns).Select(c => Text(r![c]))))];

    /// <summary>The merged view's rows as text (<see cref="Columns"/>, or the given ones).</summary>
    public static async Task<List<string>> ViewAsync(NpgsqlDataSource postgres, string view, IReadOnlyList<string>? columns = null)
    {
        columns ??= Columns;
        await using var command = postgres.CreateCommand($"SELECT {string.Join(", ", columns)} FROM serving.{view} ORDER BY customer, window_start");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, columns.Count).Select(i => Text(reader.IsDBNull(i) ? null : reader.GetValue(i)))));
        }

        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        JsonValue json when json.TryGetValue<string>(out var s) => Text(s),
        JsonValue json => Text(json.ToJsonString()),
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        double d => Math.Round(d, 9).ToString("0.#########", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##########", CultureInfo.InvariantCulture),
        long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && s.Contains(':') => Text(t),
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => s.Contains('e', StringComparison.OrdinalIgnoreCase) || s.Contains('.') && s.Length > 12
            ? Text(double.Parse(s, CultureInfo.InvariantCulture)) : Text(m),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
