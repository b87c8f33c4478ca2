using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>
/// A map from string keys to values of one schema. Values are carried as
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>.
/// </summary>
public sealed class MapSchema(Schema values, IReadOnlyDictionary<string, JsonNode?>? properties = null)
    : Schema(null, properties)
{
    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Map;

    /// <summary>The schema of every value.</summary>
    public Schema Values { get; } = values ?? throw new ArgumentNullException(nameof(values));

    /// <inheritdoc />
    public override string DisplayName => $"map<{Values.DisplayName}>";
}
