using Streams.Pipelines.Transforms;

namespace Streams.Pipelines.Specs;

/// <summary>One transform entry of a spec: the item, its value (null for a bare keyword) and its label.</summary>
internal sealed class TransformSpecText(SpecNode item, SpecNode? body, string label)
{
    /// <summary>The label, e.g. <c>transforms[2] (filter)</c>.</summary>
    public string LabelText { get; } = label;

    /// <summary>The entry's value, or null for a bare keyword.</summary>
    public SpecNode? OptionalBody { get; } = body;

    /// <summary>The entry's value; an error when the keyword stands alone.</summary>
    public SpecNode Body => OptionalBody ?? throw item.Error($"'{Kind}' needs a value");

    private string Kind => LabelText[(LabelText.IndexOf('(') + 1)..^1];

    /// <summary>Sets the label of <paramref name="transform"/> and returns it.</summary>
    public Transform Label(Transform transform)
    {
        transform.Label = LabelText;
        return transform;
    }
}
