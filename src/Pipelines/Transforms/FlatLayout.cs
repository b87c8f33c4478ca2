using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// The flattened columns of a record schema: nested records are expanded into <c>parent{sep}child</c>
/// columns (nullable if any record on the way is), other fields are leaves. Computed once per schema.
/// </summary>
internal sealed class FlatLayout
{
    private FlatLayout(IReadOnlyList<(Field Field, int[] Path)> leaves) => Leaves = leaves;

    /// <summary>The output fields and the positions leading to each in the input.</summary>
    public IReadOnlyList<(Field Field, int[] Path)> Leaves { get; }

    public static FlatLayout Build(RecordSchema schema, string separator, Func<string, Exception> error)
    {
        var leaves = new List<(Field, int[])>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Walk(schema, "", [], false);
        return new FlatLayout(leaves);

        void Walk(RecordSchema record, string prefix, int[] path, bool nullable)
        {
            foreach (var field in record.Fields)
            {
                var name = prefix + field.Name;
                var fieldPath = (int[])[.. path, field.Position];
                var fieldNullable = nullable || Schemas.IsNullable(field.Schema);
                if (Schemas.AsRecord(field.Schema) is { } nested && !ReferenceEquals(nested, record))
                {
                    Walk(nested, name + separator, fieldPath, fieldNullable);
                    continue;
                }

                if (!names.Add(name))
                {
                    throw error($"flattening gives two columns named '{name}'; choose another separator");
                }

                var schema = nullable ? UnionSchema.Nullable(field.Schema) : field.Schema;
                leaves.Add((new Field(name, schema), fieldPath));
            }
        }
    }

    /// <summary>Reads the value at <paramref name="path"/>, null when a record on the way is null.</summary>
    public static object? Read(GenericRecord record, int[] path)
    {
        object? value = record;
        foreach (var position in path)
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
