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

/// <summary>Removes the named fields.</summary>
public sealed class DropFieldsTransform(IReadOnlyList<string> fields) : ProjectionTransform
{
    /// <summary>The fields to remove.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <inheritdoc />
    public override string Kind => "drop_fields";

    /// <inheritdoc />
    protected override (IReadOnlyList<Field>, int[]) Project(RecordSchema input)
    {
        foreach (var name in Fields)
        {
            RequireField(input, name);
        }

        var kept = input.Fields.Where(f => !Fields.Contains(f.Name)).ToList();
        return (kept, kept.Select(f => f.Position).ToArray());
    }
}

/// <summary>Renames a top-level field, keeping its position.</summary>
public sealed class RenameFieldTransform(string from, string to) : ProjectionTransform
{
    /// <summary>The current name.</summary>
    public string From { get; } = from;

    /// <summary>The new name.</summary>
    public string To { get; } = to;

    /// <inheritdoc />
    public override string Kind => "rename_field";

    /// <inheritdoc />
    protected override (IReadOnlyList<Field>, int[]) Project(RecordSchema input)
    {
        RequireField(input, From);
        if (From != To && input.GetField(To) is not null)
        {
            throw Error($"cannot rename '{From}' to '{To}': the input already has a field '{To}'");
        }

        var fields = input.Fields.Select(f => f.Name == From ? Schemas.Field(To, f.Schema) : f).ToList();
        return (fields, input.Fields.Select(f => f.Position).ToArray());
    }
}

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
