namespace Streams.Formats.Model;

/// <summary>
/// A record value: its schema and one value per field, by position. Values follow the CLR mapping in
/// docs/record-model.md. Hot paths index by <see cref="Field.Position"/>, resolved once per schema;
/// the by-name indexer is for tests, tools and code that runs once per batch.
/// </summary>
public sealed class GenericRecord : IEquatable<GenericRecord>
{
    private readonly object?[] _values;

    /// <summary>Creates a record with every field null.</summary>
    public GenericRecord(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _values = new object?[schema.Fields.Count];
    }

    /// <summary>Creates a record over <paramref name="values"/>, which it takes ownership of.</summary>
    public GenericRecord(RecordSchema schema, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != schema.Fields.Count)
        {
            throw new ArgumentException(
                $"Record {schema.FullName} has {schema.Fields.Count} fields but {values.Length} values were given.",
                nameof(values));
        }

        Schema = schema;
        _values = values;
    }

    /// <summary>The record's schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The value of the field at <paramref name="position"/>.</summary>
    public object? this[int position]
    {
        get => _values[position];
        set => _values[position] = value;
    }

    /// <summary>The value of the field named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The record has no such field.</exception>
    public object? this[string name]
    {
        get => _values[PositionOf(name)];
        set => _values[PositionOf(name)] = value;
    }

    /// <summary>The values, by field position.</summary>
    public ReadOnlySpan<object?> Values => _values;

    /// <summary>The value of the field named <paramref name="name"/>, if the record has that field.</summary>
    public bool TryGetValue(string name, out object? value)
    {
        var field = Schema.GetField(name);
        value = field is null ? null : _values[field.Position];
        return field is not null;
    }

    private int PositionOf(string name) =>
        Schema.GetField(name)?.Position
        ?? throw new KeyNotFoundException($"Record {Schema.FullName} has no field '{name}'.");

    /// <summary>Deep value equality (same full name, equal values, byte arrays by content).</summary>
    public bool Equals(GenericRecord? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Schema.FullName == other.Schema.FullName && ValueEquality.Instance.Equals(_values, other._values)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericRecord);

    /// <inheritdoc />
    public override int GetHashCode() => ValueEquality.Instance.GetHashCode(_values);

    /// <inheritdoc />
    public override string ToString() =>
        "{" + string.Join(", ", Schema.Fields.Select(f => $"{f.Name}: {ValueEquality.Format(_values[f.Position])}")) + "}";
}
