using System.Buffers.Binary;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;

namespace Streams.Formats.Parquet.Columns;

/// <summary>Decides from column chunk statistics whether any row of a row group can satisfy a predicate.</summary>
internal static class RowGroupStatistics
{
    public static bool MayMatch(RowGroup group, FieldBinding root, ParquetPredicate predicate, ParquetSchema schema)
    {
        var leaf = FindLeaf(root, predicate.Column);
        if (leaf?.Column is null || leaf.Column.MaxRepetitionLevel > 0)
        {
            throw new ArgumentException($"The filter column '{predicate.Column}' is not a primitive field outside lists and maps.");
        }

        var meta = group.Columns[leaf.Column.ColumnIndex].MetaData;
        var stats = meta?.Statistics;
        if (meta is null || stats is null)
        {
            return true;
        }

        var nulls = stats.NullCount;
        switch (predicate.Operator)
        {
            case ComparisonOperator.IsNull:
                return nulls is not 0;
            case ComparisonOperator.IsNotNull:
                return nulls is null || nulls < meta.NumValues;
        }

        if (predicate.Value is null || nulls == meta.NumValues)
        {
            return false; // comparisons with null, or over only nulls, match nothing
        }

        var signedLegacy = leaf.Column.PhysicalType is PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.Float or PhysicalType.Double
                           && leaf.LeafKind != LeafKind.UInt32AsInt64;
        var minBytes = stats.MinValue ?? (signedLegacy ? stats.Min : null);
        var maxBytes = stats.MaxValue ?? (signedLegacy ? stats.Max : null);
        if (minBytes is null || maxBytes is null)
        {
            return true;
        }

        var scratch = new ColumnBuffer(leaf.Column.PhysicalType, leaf.Column.Element.TypeLength ?? 0, 0, 0);
        IComparable? constant;
        try
        {
            constant = LeafValues.ToPhysical(predicate.Value, scratch, leaf.LeafKind, leaf.Scale, leaf.Path);
        }
        catch (ParquetException e)
        {
            throw new ArgumentException($"The filter constant does not fit column '{predicate.Column}': {e.Message}", e);
        }

        var min = Decode(minBytes, leaf.Column.PhysicalType);
        var max = Decode(maxBytes, leaf.Column.PhysicalType);
        if (constant is null || min is null || max is null)
        {
            return true;
        }

        return predicate.Operator switch
        {
            ComparisonOperator.Equal => min.CompareTo(constant) <= 0 && max.CompareTo(constant) >= 0,
            ComparisonOperator.NotEqual => !(min.CompareTo(constant) == 0 && max.CompareTo(constant) == 0 && nulls == 0),
            ComparisonOperator.LessThan => min.CompareTo(constant) < 0,
            ComparisonOperator.LessThanOrEqual => min.CompareTo(constant) <= 0,
            ComparisonOperator.GreaterThan => max.CompareTo(constant) > 0,
            ComparisonOperator.GreaterThanOrEqual => max.CompareTo(constant) >= 0,
            _ => true,
        };
    }

    private static FieldBinding? FindLeaf(FieldBinding root, string path)
    {
        var node = root;
        foreach (var name in path.Split('.'))
        {
            while (node.Kind == BindingKind.Optional)
            {
                node = node.Child!;
            }

            if (node.Kind != BindingKind.Record)
            {
                return null;
            }

            var record = (Model.RecordSchema)node.Schema;
            var field = record.GetField(name);
            if (field is null)
            {
                return null;
            }

            node = node.Children[field.Position];
        }

        while (node.Kind == BindingKind.Optional)
        {
            node = node.Child!;
        }

        return node.Kind == BindingKind.Leaf ? node : null;
    }

    private static IComparable? Decode(byte[] bytes, PhysicalType type) => type switch
    {
        PhysicalType.Boolean when bytes.Length >= 1 => bytes[0] != 0,
        PhysicalType.Int32 when bytes.Length >= 4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        PhysicalType.Int64 when bytes.Length >= 8 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        PhysicalType.Float when bytes.Length >= 4 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        PhysicalType.Double when bytes.Length >= 8 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        PhysicalType.ByteArray or PhysicalType.FixedLenByteArray => new UnsignedBytes(bytes),
        _ => null,
    };
}
