using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>Keeps only the named fields, in the order given.</summary>
public sealed class SelectFieldsTransform(IReadOnlyList<string> fields) : ProjectionTransform
{
    /// <summary>The fields to keep.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <inheritdoc />
    public override string Kind => "select_fields";

    /// <inheritdoc />
    protected override (IReadOnlyList<Field>, int[]) Project(RecordSchema input)
    {
        var picked = Fields.Select(name => RequireField(input, name)).ToList();
        return (picked, picked.Select(f => f.Position).ToArray());
    }
}
