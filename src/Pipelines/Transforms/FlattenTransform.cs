using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>Flattens nested records into top-level columns named <c>parent{separator}child</c>.</summary>
public sealed class FlattenTransform(string separator = "_") : Transform
{
    /// <summary>The separator between name parts.</summary>
    public string Separator { get; } = separator;

    /// <inheritdoc />
    public override string Kind => "flatten";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input)
    {
        var layout = FlatLayout.Build(input, Separator, d => Error(d));
        return new Bound(Schemas.Record(input, layout.Leaves.Select(l => l.Field)), layout.Leaves.Select(l => l.Path).ToArray(), Name);
    }

    private sealed class Bound(RecordSchema output, int[][] paths, string label) : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var values = new object?[paths.Length];
            for (var i = 0; i < paths.Length; i++)
            {
                values[i] = FlatLayout.Read(record, paths[i]);
            }

            return new GenericRecord(Output, values);
        }
    }
}
