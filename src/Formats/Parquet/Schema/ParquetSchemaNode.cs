using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Schema;

/// <summary>
/// A node of a Parquet schema tree with its definition and repetition levels: the maximum levels of
/// the values at this node (a leaf's are the column's maximum levels).
/// </summary>
public sealed class ParquetSchemaNode
{
    internal ParquetSchemaNode(SchemaElement element, ParquetSchemaNode? parent, IReadOnlyList<string> path)
    {
        Element = element;
        Parent = parent;
        Path = path;
        var repetition = parent is null ? FieldRepetitionType.Required : element.RepetitionType ?? FieldRepetitionType.Required;
        var parentDef = parent?.MaxDefinitionLevel ?? 0;
        var parentRep = parent?.MaxRepetitionLevel ?? 0;
        MaxDefinitionLevel = repetition == FieldRepetitionType.Required ? parentDef : parentDef + 1;
        MaxRepetitionLevel = repetition == FieldRepetitionType.Repeated ? parentRep + 1 : parentRep;
    }

    /// <summary>The schema element describing the node.</summary>
    public SchemaElement Element { get; }

    /// <summary>The enclosing group, or <c>null</c> for the root.</summary>
    public ParquetSchemaNode? Parent { get; }

    /// <summary>The node's name.</summary>
    public string Name => Element.Name;

    /// <summary>The names from below the root down to this node.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary>The dotted path, e.g. <c>tags.list.element</c>.</summary>
    public string DottedPath => string.Join('.', Path);

    /// <summary>The repetition of this node (the root counts as required).</summary>
    public FieldRepetitionType Repetition => Parent is null ? FieldRepetitionType.Required : Element.RepetitionType ?? FieldRepetitionType.Required;

    /// <summary>The children of a group; empty for a leaf.</summary>
    public IReadOnlyList<ParquetSchemaNode> Children { get; internal set; } = [];

    /// <summary>True for a primitive (leaf) column.</summary>
    public bool IsLeaf => Element.NumChildren is null;

    /// <summary>The definition level of a value present at this node.</summary>
    public int MaxDefinitionLevel { get; }

    /// <summary>The repetition level of this node: the number of repeated nodes from the root down to it.</summary>
    public int MaxRepetitionLevel { get; }

    /// <summary>For a leaf, its index among the file's columns; -1 for a group.</summary>
    public int ColumnIndex { get; internal set; } = -1;

    /// <summary>The physical type of a leaf.</summary>
    public PhysicalType PhysicalType => Element.Type ?? throw new InvalidOperationException($"'{DottedPath}' is a group.");

    /// <inheritdoc />
    public override string ToString() => DottedPath;
}
