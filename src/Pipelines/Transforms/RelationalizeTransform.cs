using System.Collections;
using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Flattens nested records and moves every array into a child output (as Glue's Relationalize): the
/// array field <c>lines</c> of output <c>orders</c> becomes child output <c>orders_lines</c> with one row per
/// element: the parent's key fields, <c>index</c> (0-based) and the element's flattened fields (or
/// <c>value</c> for an array of non-records). Arrays inside elements stay as values.
/// </summary>
public sealed class RelationalizeTransform(string name, IReadOnlyList<string> keys, string separator = "_") : Transform
{
    /// <summary>The prefix of child output names.</summary>
    public string OutputName { get; } = name;

    /// <summary>Parent key fields (flattened names) copied into every child row to join back.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>The separator between name parts.</summary>
    public string Separator { get; } = separator;

    /// <inheritdoc />
    public override string Kind => "relationalize";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input)
    {
        var layout = FlatLayout.Build(input, Separator, d => Error(d));
        var parentLeaves = layout.Leaves.Where(l => Schemas.NonNullBranches(l.Field.Schema) is not [ArraySchema]).ToList();
        var keyLeaves = Keys.Select(k => parentLeaves.Find(l => l.Field.Name == k) is { Field: not null } leaf
            ? leaf
            : throw Error($"key '{k}' is not a flattened non-array field; the fields are {string.Join(", ", parentLeaves.Select(l => l.Field.Name))}")).ToList();
        var children = new List<Child>();
        foreach (var (field, path) in layout.Leaves.Except(parentLeaves))
        {
            var array = (ArraySchema)Schemas.NonNullBranches(field.Schema)[0];
            var childName = $"{OutputName}{Separator}{field.Name}";
            var fields = keyLeaves.Select(k => k.Field).Append(new Field("index", PrimitiveSchema.Int)).ToList();
            int[][]? itemPaths = null;
            if (Schemas.AsRecord(array.Items) is { } itemRecord)
            {
                var itemLayout = FlatLayout.Build(itemRecord, Separator, d => Error(d));
                var itemFields = itemLayout.Leaves.Select(l => Schemas.IsNullable(array.Items) ? new Field(l.Field.Name, UnionSchema.Nullable(l.Field.Schema)) : l.Field).ToList();
                foreach (var clash in itemFields.Where(f => fields.Exists(k => k.Name == f.Name)))
                {
                    throw Error($"child output '{childName}' would have two fields named '{clash.Name}'");
                }

                fields.AddRange(itemFields);
                itemPaths = itemLayout.Leaves.Select(l => l.Path).ToArray();
            }
            else
            {
                fields.Add(new Field("value", array.Items));
            }

            var schema = Schemas.Record(new SchemaName(childName, input.Name.Namespace), fields);
            children.Add(new Child(childName, schema, path, itemPaths));
        }

        return new Bound(Schemas.Record(input, parentLeaves.Select(l => l.Field)), [.. parentLeaves.Select(l => l.Path)],
            [.. keyLeaves.Select(l => l.Path)], children);
    }

    private sealed record Child(string Name, RecordSchema Schema, int[] ArrayPath, int[][]? ItemPaths);

    private sealed class Bound(RecordSchema output, int[][] paths, int[][] keyPaths, List<Child> children) : BoundTransform(output)
    {
        public override ValueTask<RecordBatch> ApplyAsync(RecordBatch batch, TransformContext context, CancellationToken cancellationToken)
        {
            var parent = RecordBatch.CreateBuilder(Output, batch.Count);
            var builders = children.Select(c => RecordBatch.CreateBuilder(c.Schema)).ToArray();
            for (var r = 0; r < batch.Count; r++)
            {
                var record = batch.Records[r];
                var position = batch.PositionOf(r);
                var values = new object?[paths.Length];
                for (var i = 0; i < paths.Length; i++)
                {
                    values[i] = FlatLayout.Read(record, paths[i]);
                }

                parent.Add(new GenericRecord(Output, values), position);
                var keys = keyPaths.Select(p => FlatLayout.Read(record, p)).ToArray();
                for (var c = 0; c < children.Count; c++)
                {
                    var child = children[c];
                    if (FlatLayout.Read(record, child.ArrayPath) is not IList items)
                    {
                        continue;
                    }

                    for (var index = 0; index < items.Count; index++)
                    {
                        var row = new object?[child.Schema.Fields.Count];
                        keys.CopyTo(row, 0);
                        row[keys.Length] = index;
                        if (child.ItemPaths is null)
                        {
                            row[keys.Length + 1] = items[index];
                        }
                        else if (items[index] is GenericRecord item)
                        {
                            for (var i = 0; i < child.ItemPaths.Length; i++)
                            {
                                row[keys.Length + 1 + i] = FlatLayout.Read(item, child.ItemPaths[i]);
                            }
                        }

                        builders[c].Add(new GenericRecord(child.Schema, row), position);
                    }
                }
            }

            for (var c = 0; c < children.Count; c++)
            {
                context.AddChild(children[c].Name, builders[c].Build());
            }

            return ValueTask.FromResult(parent.Build());
        }
    }
}
