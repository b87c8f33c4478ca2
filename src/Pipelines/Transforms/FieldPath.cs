using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>A dotted path to a (possibly nested) field, resolved once against a schema to positions.</summary>
internal sealed class FieldPath
{
    private readonly int[] _positions;

    private FieldPath(string path, int[] positions, Schema schema, bool nullable)
    {
        Path = path;
        _positions = positions;
        Schema = schema;
        Nullable = nullable;
    }

    public string Path { get; }

    /// <summary>The schema of the field at the end of the path.</summary>
    public Schema Schema { get; }

    /// <summary>True when the value can be null: the field, or a record on the way, is nullable.</summary>
    public bool Nullable { get; }

    /// <summary>Resolves <paramref name="path"/>; <paramref name="error"/> builds the exception for a bad path.</summary>
    public static FieldPath Resolve(RecordSchema schema, string path, Func<string, Exception> error)
    {
        var segments = path.Split('.');
        var positions = new int[segments.Length];
        RecordSchema? current = schema;
        Schema fieldSchema = schema;
        var nullable = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (current is null)
            {
                throw error($"'{string.Join('.', segments.Take(i))}' is {fieldSchema.DisplayName}, not a record, so '{path}' does not exist");
            }

            var field = current.GetField(segments[i])
                ?? throw error($"unknown field '{string.Join('.', segments.Take(i + 1))}'; {(i == 0 ? "the input" : $"'{string.Join('.', segments.Take(i))}'")} has fields {string.Join(", ", current.Fields.Select(f => f.Name))}");
            positions[i] = field.Position;
            fieldSchema = field.Schema;
            nullable |= Values.Schemas.IsNullable(fieldSchema);
            current = Values.Schemas.AsRecord(fieldSchema);
        }

        return new FieldPath(path, positions, fieldSchema, nullable);
    }

    /// <summary>The value at the path, or null when a record on the way is null.</summary>
    public object? Read(GenericRecord record)
    {
        object? value = record;
        foreach (var position in _positions)
        {
            if (value is not GenericRecord g)
            {
                return null;
            }

            value = g[position];
        }

        return value;
    }
}
