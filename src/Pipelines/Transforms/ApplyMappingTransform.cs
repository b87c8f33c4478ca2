using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Builds each output record from a list of mappings (as Glue's ApplyMapping): only mapped fields are
/// kept; each may be renamed, cast, and nested. A value that does not cast goes to the dead letters.
/// </summary>
public sealed class ApplyMappingTransform(IReadOnlyList<FieldMapping> mappings) : Transform
{
    /// <summary>The mappings, in output order.</summary>
    public IReadOnlyList<FieldMapping> Mappings { get; } = mappings;

    /// <inheritdoc />
    public override string Kind => "apply_mapping";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input)
    {
        if (Mappings.Count == 0)
        {
            throw Error("needs at least one mapping");
        }

        var leaves = new List<Leaf>();
        var root = new Node();
        foreach (var mapping in Mappings)
        {
            var source = FieldPath.Resolve(input, mapping.From, d => Error(d));
            Schema target;
            try
            {
                target = mapping.Type is null ? source.Schema : SchemaTypeNames.Parse(mapping.Type);
            }
            catch (FormatException e)
            {
                throw Error($"mapping '{mapping.From}' -> '{mapping.To}': {e.Message}");
            }

            if (source.Nullable)
            {
                target = UnionSchema.Nullable(target);
            }

            var cast = mapping.Type is null ? null : ModelCast.To(target);
            leaves.Add(new Leaf(mapping, source, target, cast));
            var segments = mapping.To.Split('.');
            var node = root;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var existing = node.Children.FindIndex(c => c.Name == segments[i]);
                if (existing >= 0)
                {
                    node = node.Children[existing].Child ?? throw Error($"target '{mapping.To}' nests into '{segments[i]}', which another mapping sets as a value");
                }
                else
                {
                    var child = new Node();
                    node.Children.Add((segments[i], null, child));
                    node = child;
                }
            }

            if (node.Children.Exists(c => c.Name == segments[^1]))
            {
                throw Error($"two mappings target '{mapping.To}'");
            }

            node.Children.Add((segments[^1], leaves.Count - 1, null));
        }

        var (schema, build) = Compile(root, input.Name, leaves);
        return new Bound((RecordSchema)schema, leaves, build, Name);
    }

    private static (Schema Schema, Func<object?[], GenericRecord> Build) Compile(Node node, SchemaName name, List<Leaf> leaves)
    {
        var fields = new List<Field>();
        var parts = new List<Func<object?[], object?>>();
        foreach (var (childName, leaf, child) in node.Children)
        {
            if (leaf is { } index)
            {
                fields.Add(new Field(childName, leaves[index].Target));
                parts.Add(values => values[index]);
            }
            else
            {
                var (childSchema, build) = Compile(child!, new SchemaName(childName, name.FullName), leaves);
                fields.Add(new Field(childName, childSchema));
                parts.Add(build);
            }
        }

        var schema = new RecordSchema(name, fields);
        var compiled = parts.ToArray();
        return (schema, values =>
        {
            var record = new object?[compiled.Length];
            for (var i = 0; i < compiled.Length; i++)
            {
                record[i] = compiled[i](values);
            }

            return new GenericRecord(schema, record);
        });
    }

    private sealed record Leaf(FieldMapping Mapping, FieldPath Source, Schema Target, Func<object?, object?>? Cast);

    private sealed class Node
    {
        public List<(string Name, int? Leaf, Node? Child)> Children { get; } = [];
    }

    private sealed class Bound(RecordSchema output, List<Leaf> leaves, Func<object?[], GenericRecord> build, string label)
        : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var values = new object?[leaves.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var leaf = leaves[i];
                var value = leaf.Source.Read(record);
                try
                {
                    values[i] = leaf.Cast is null ? value : leaf.Cast(value);
                }
                catch (InvalidCastException e)
                {
                    throw new InvalidCastException($"field '{leaf.Mapping.From}' -> '{leaf.Mapping.To}': {e.Message}", e);
                }
            }

            return build(values);
        }
    }
}
