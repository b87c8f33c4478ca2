using System.Text.Json;

namespace Streams.Registry.Tests;

/// <summary>Avro schema texts for tests.</summary>
internal static class AvroSchemas
{
    /// <summary>A record schema named <paramref name="name"/> with the given fields (JSON objects).</summary>
    public static string Record(string name, params object[] fields) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "record", ["name"] = name, ["fields"] = fields });

    public static object Field(string name, object type) => new Dictionary<string, object> { ["name"] = name, ["type"] = type };

    public static object Field(string name, object type, object? defaultValue) =>
        new Dictionary<string, object?> { ["name"] = name, ["type"] = type, ["default"] = defaultValue };
}
