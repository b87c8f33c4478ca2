using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Schema;

/// <summary>The parts of a MAP (or legacy MAP_KEY_VALUE) group with string keys: <c>repeated group { key; value }</c>.</summary>
internal readonly record struct MapShape(ParquetSchemaNode Repeated, ParquetSchemaNode Key, ParquetSchemaNode Value)
{
    public static bool TryGet(ParquetSchemaNode node, out MapShape shape)
    {
        shape = default;
        var e = node.Element;
        if (node.IsLeaf
            || (e.LogicalType?.Kind != LogicalTypeKind.Map && e.ConvertedType is not (ConvertedType.Map or ConvertedType.MapKeyValue))
            || node.Children.Count != 1 || node.Children[0].Repetition != FieldRepetitionType.Repeated
            || node.Children[0].IsLeaf || node.Children[0].Children.Count != 2)
        {
            return false;
        }

        var repeated = node.Children[0];
        var key = repeated.Children[0];
        if (!key.IsLeaf || key.PhysicalType != PhysicalType.ByteArray || key.Repetition != FieldRepetitionType.Required)
        {
            return false; // non-string keys read as a list of key/value records
        }

        shape = new MapShape(repeated, key, repeated.Children[1]);
        return true;
    }
}
