using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// The common shape of transforms that pick, drop, reorder or rename top-level fields: the output
/// takes field <c>i</c> from input position <c>sources[i]</c>.
/// </summary>
public abstract class ProjectionTransform : Transform
{
    /// <inheritdoc />
    public sealed override BoundTransform Bind(RecordSchema input)
    {
        var (fields, sources) = Project(input);
        return new Bound(Schemas.Record(input, fields), sources, Name);
    }

    /// <summary>The output fields and, for each, the input position it comes from.</summary>
    protected abstract (IReadOnlyList<Field> Fields, int[] Sources) Project(RecordSchema input);

    private sealed class Bound(RecordSchema output, int[] sources, string label) : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var values = new object?[sources.Length];
            for (var i = 0; i < sources.Length; i++)
            {
                values[i] = record[sources[i]];
            }

            return new GenericRecord(Output, values);
        }
    }
}
