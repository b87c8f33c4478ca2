using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Testing;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Runs SQL in DuckDB (npm @duckdb/node-api, via tools/duckdb-query.mjs) and returns the last statement's rows as JSON.</summary>
public static class DuckDb
{
    public static async Task<JsonArray> QueryAsync(params string[] statements)
    {
        var tools = Path.Combine(ExternalTool.RepositoryRoot, "tools");
        var output = await ExternalTool.RunAsync("node", [Path.Combine(tools, "duckdb-query.mjs")],
            stdin: JsonSerializer.Serialize(new[] { "SET TimeZone='UTC'" }.Concat(statements)), workingDirectory: tools,
            // The node binding renders TIMESTAMPTZ in the process's zone whatever DuckDB's TimeZone setting says; the
            // suite's non-UTC run changes Streams' zone, not the reference's rendering.
            environment: new Dictionary<string, string> { ["TZ"] = "UTC" },
            timeout: TimeSpan.FromSeconds(60));
        return JsonNode.Parse(output)!["rows"]!.AsArray();
    }

    /// <summary>A path as a SQL string literal.</summary>
    public static string Literal(string path) => "'" + path.Replace("'", "''") + "'";
}
