using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Schema;

/// <summary>
/// The parts of a LIST-annotated group, following the backward-compatibility rules of LogicalTypes.md:
/// the repeated child is the element itself (2-level) when it is a primitive, a group of several fields,
/// or a group named <c>array</c> or <c>&lt;list&gt;_tuple</c>; otherwise its single child is the element (3-level).
/// </summary>
internal readonly record struct ListShape(ParquetSchemaNode Repeated, ParquetSchemaNode Element, bool ElementIsRepeatedNode)
{
    public static bool TryGet(ParquetSchemaNode node, out ListShape shape)
    {
        shape = default;
        var e = node.Element;
        if (node.IsLeaf || (e.LogicalType?.Kind != LogicalTypeKind.List && e.ConvertedType != ConvertedType.List)
            || node.Children.Count != 1 || node.Children[0].Repetition != FieldRepetitionType.Repeated)
        {
            return false;
        }

        var repeated = node.Children[0];
        var twoLevel = repeated.IsLeaf || repeated.Children.Count > 1 || repeated.Name == "array"
                       || repeated.Name == node.Name + "_tuple";
        shape = twoLevel ? new ListShape(repeated, repeated, true) : new ListShape(repeated, repeated.Children[0], false);
        return true;
    }
}
