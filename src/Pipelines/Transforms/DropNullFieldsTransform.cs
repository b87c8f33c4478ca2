using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Removes fields whose type is null (they can hold nothing but null: typically a JSON column that was
/// null in every sampled record). The decision is made from the schema, so every batch of one schema
/// gets the same output schema.
/// </summary>
public sealed class DropNullFieldsTransform : ProjectionTransform
{
    /// <inheritdoc />
    public override string Kind => "drop_null_fields";

    /// <inheritdoc />
    protected override (IReadOnlyList<Field>, int[]) Project(RecordSchema input)
    {
        var kept = input.Fields.Where(f => Schemas.NonNullBranches(f.Schema).Count > 0).ToList();
        return (kept, kept.Select(f => f.Position).ToArray());
    }
}
