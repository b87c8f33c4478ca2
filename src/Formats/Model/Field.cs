using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>A field of a record.</summary>
public sealed class Field
{
    /// <summary>Creates a field. <paramref name="defaultValue"/> is the Avro JSON encoding of the default.</summary>
    public Field(string name, Schema schema, string? doc = null, bool hasDefault = false,
        JsonNode? defaultValue = null, SortOrder order = SortOrder.Ascending, IReadOnlyList<string>? aliases = null,
        IReadOnlyDictionary<string, JsonNode?>? properties = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(schema);
        Name = name;
        Schema = schema;
        Doc = doc;
        HasDefault = hasDefault || defaultValue is not null;
        Default = defaultValue;
        Order = order;
        Aliases = aliases ?? [];
        Properties = properties ?? Schema.EmptyProperties;
        Position = -1;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The field's type.</summary>
    public Schema Schema { get; }

    /// <summary>Documentation, or <c>null</c>.</summary>
    public string? Doc { get; }

    /// <summary>True when the field declares a default (which may be JSON <c>null</c>).</summary>
    public bool HasDefault { get; }

    /// <summary>The default in Avro's JSON encoding; <c>null</c> is JSON null when <see cref="HasDefault"/>.</summary>
    public JsonNode? Default { get; }

    /// <summary>The sort order of the field.</summary>
    public SortOrder Order { get; }

    /// <summary>Alternative names, used by schema resolution.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Attributes the specification does not define, kept verbatim.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Properties { get; }

    /// <summary>The index of the field in its record, and of its value in <see cref="GenericRecord"/>.</summary>
    public int Position { get; private init; }

    internal Field WithPosition(int position) => Position == position
        ? this
        : new Field(Name, Schema, Doc, HasDefault, Default, Order, Aliases, Properties) { Position = position };

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Schema.DisplayName}";
}

/// <summary>The sort order of a record field.</summary>
public enum SortOrder
{
    Ascending,
    Descending,
    Ignore,
}
