using System.Text.Json.Nodes;
using Streams.Testing;

namespace Streams.Formats.Tests.Avro.Interop;

/// <summary>Runs a Python script against Debian's python3-avro (the Apache Avro Python library) for interop tests.</summary>
internal static class PythonAvro
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> as JSON on stdin and parses its JSON stdout.</summary>
    public static async Task<JsonNode> RunAsync(string script, JsonNode input)
    {
        var output = await ExternalTool.RunAsync(ExternalTool.Python, ["-c", script], input.ToJsonString(),
            timeout: TimeSpan.FromSeconds(60));
        return JsonNode.Parse(output) ?? throw new InvalidOperationException("python3-avro printed JSON null.");
    }
}
