using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>An array of items of one schema. Values are carried as <c>IReadOnlyList&lt;object?&gt;</c>.</summary>
public sealed class ArraySchema(Schema items, IReadOnlyDictionary<string, JsonNode?>? properties = null)
    : Schema(null, properties)
{
    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Array;

    /// <summary>The schema of every item.</summary>
    public Schema Items { get; } = items ?? throw new ArgumentNullException(nameof(items));

    /// <inheritdoc />
    public override string DisplayName => $"array<{Items.DisplayName}>";
}
