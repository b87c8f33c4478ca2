using System.Text.Json.Nodes;

namespace Streams.Formats.Model;

/// <summary>A record (or Avro <c>error</c>): an ordered list of named, typed fields.</summary>
public sealed class RecordSchema : NamedSchema
{
    private IReadOnlyList<Field>? _fields;
    private Dictionary<string, Field>? _byName;

    /// <summary>
    /// Creates a record. When <paramref name="fields"/> is <c>null</c> they must be supplied once with
    /// <see cref="SetFields"/>, which lets a field's type refer back to this record.
    /// </summary>
    public RecordSchema(SchemaName name, IEnumerable<Field>? fields = null, string? doc = null,
        IReadOnlyList<SchemaName>? aliases = null, bool isError = false,
        IReadOnlyDictionary<string, JsonNode?>? properties = null)
        : base(name, aliases, doc, null, properties)
    {
        IsError = isError;
        if (fields is not null)
        {
            SetFields(fields);
        }
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Record;

    /// <summary>True when declared as an Avro <c>error</c>.</summary>
    public bool IsError { get; }

    /// <summary>The fields, in declaration order; <see cref="Field.Position"/> is the index here.</summary>
    public IReadOnlyList<Field> Fields =>
        _fields ?? throw new InvalidOperationException($"The fields of record {FullName} have not been set.");

    /// <summary>Sets the fields of a record created without them. Allowed once.</summary>
    public void SetFields(IEnumerable<Field> fields)
    {
        if (_fields is not null)
        {
            throw new InvalidOperationException($"The fields of record {FullName} are already set.");
        }

        var list = new List<Field>();
        var byName = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var positioned = field.WithPosition(list.Count);
            if (!byName.TryAdd(positioned.Name, positioned))
            {
                throw new SchemaException($"Record {FullName} declares field '{positioned.Name}' twice.",
                    $"{FullName}.{positioned.Name}");
            }

            list.Add(positioned);
        }

        _byName = byName;
        _fields = list;
    }

    /// <summary>The field with this name, or <c>null</c>.</summary>
    public Field? GetField(string name) =>
        (_byName ?? throw new InvalidOperationException($"The fields of record {FullName} have not been set."))
            .GetValueOrDefault(name);
}
