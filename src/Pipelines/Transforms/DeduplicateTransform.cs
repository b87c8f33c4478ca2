using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Keeps the first record of each key. The seen keys (<see cref="DeduplicateState"/>) persist across the
/// batches of one runner, and across restarts when the driver saves them, so a key repeated in a later
/// micro-batch is dropped too.
/// </summary>
public sealed class DeduplicateTransform(IReadOnlyList<string> keys) : Transform
{
    /// <summary>The key fields (dotted paths allowed).</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <inheritdoc />
    public override string Kind => "deduplicate";

    /// <inheritdoc />
    public override TransformNeeds Needs => TransformNeeds.State;

    /// <inheritdoc />
    public override ITransformState CreateState() => new DeduplicateState();

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input) => Bind(input, null);

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input, ITransformState? state)
    {
        if (Keys.Count == 0)
        {
            throw Error("needs at least one key field");
        }

        var paths = Keys.Select(k => FieldPath.Resolve(input, k, d => Error(d))).ToArray();
        return new Bound(input, paths, Name, state as DeduplicateState ?? new DeduplicateState());
    }

    private sealed class Bound(RecordSchema output, FieldPath[] paths, string label, DeduplicateState seen) : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var key = new object?[paths.Length];
            for (var i = 0; i < paths.Length; i++)
            {
                key[i] = paths[i].Read(record);
            }

            return seen.Add(key) ? record : null;
        }
    }
}
