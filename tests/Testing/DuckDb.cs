using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streams.Testing;

/// <summary>Runs SQL in DuckDB (npm @duckdb/node-api, via tools/duckdb-query.mjs) and returns the last statement's rows as JSON.</summary>
public static class DuckDb
{
    public static async Task<JsonArray> QueryAsync(params string[] statements)
    {
        var tools = Path.Combine(ExternalTool.RepositoryRoot, "tools");
        var output = await ExternalTool.RunAsync("node", [Path.Combine(tools, "duckdb-query.mjs")],
            stdin: JsonSerializer.Serialize(new[] { "SET TimeZone='UTC'" }.Concat(statements)), workingDirectory: tools,
            timeout: TimeSpan.FromSeconds(60));
        return JsonNode.Parse(output)!["rows"]!.AsArray();
    }

    /// <summary>A path as a SQL string literal.</summary>
    public static string Literal(string path) => "'" + path.Replace("'", "''") + "'";
}
