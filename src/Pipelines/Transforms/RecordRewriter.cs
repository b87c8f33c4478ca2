using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Rewrites the fields of a record nested at a path (or of the root record): the edit picks the new
/// fields and, for each, the position it comes from; records on the way are rebuilt around it. The
/// schemas and the converter are built once per input schema.
/// </summary>
internal static class RecordRewriter
{
    /// <summary>An edit of one record's fields: the output fields and each one's source position.</summary>
    public delegate (IReadOnlyList<Field> Fields, int[] Sources) FieldEdit(RecordSchema record, string path);

    public static (RecordSchema Schema, Func<GenericRecord, GenericRecord> Convert) Edit(RecordSchema root, IReadOnlyList<string> parentPath,
        FieldEdit edit, Func<string, Exception> error) => Edit(root, parentPath, 0, edit, error);

    private static (RecordSchema Schema, Func<GenericRecord, GenericRecord> Convert) Edit(RecordSchema record, IReadOnlyList<string> path, int depth,
        FieldEdit edit, Func<string, Exception> error)
    {
        if (depth == path.Count)
        {
            var (fields, sources) = edit(record, string.Join('.', path));
            var schema = Schemas.Record(record, fields);
            return (schema, r =>
            {
                var values = new object?[sources.Length];
                for (var i = 0; i < sources.Length; i++)
                {
                    values[i] = r[sources[i]];
                }

                return new GenericRecord(schema, values);
            });
        }

        var prefix = string.Join('.', path.Take(depth + 1));
        var field = record.GetField(path[depth])
            ?? throw error($"unknown field '{prefix}'; {(depth == 0 ? "the input" : $"'{string.Join('.', path.Take(depth))}'")} has fields {string.Join(", ", record.Fields.Select(f => f.Name))}");
        var child = Schemas.AsRecord(field.Schema) ?? throw error($"'{prefix}' is {field.Schema.DisplayName}, not a record");
        var (childSchema, convertChild) = Edit(child, path, depth + 1, edit, error);
        var position = field.Position;
        var rebuilt = record.Fields.Select(f => f.Position == position
            ? new Field(f.Name, Schemas.IsNullable(f.Schema) ? UnionSchema.Nullable(childSchema) : childSchema)
            : f);
        var output = Schemas.Record(record, rebuilt);
        return (output, r =>
        {
            var values = r.Values.ToArray();
            values[position] = values[position] is GenericRecord g ? convertChild(g) : null;
            return new GenericRecord(output, values);
        });
    }
}
