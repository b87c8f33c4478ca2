using Streams.Formats.Parquet.Schema;
using ModelSchema = Streams.Formats.Model.Schema;

namespace Streams.Formats.Parquet.Columns;

/// <summary>The kinds of node in a <see cref="FieldBinding"/> tree.</summary>
internal enum BindingKind
{
    Leaf,
    Optional,
    Record,
    List,
    Map,
    Union,
}

/// <summary>
/// A node of the record model bound to the Parquet node that stores it, with the levels the shredder
/// writes and the assembler reads. One tree serves both directions.
/// </summary>
internal sealed class FieldBinding
{
    public required BindingKind Kind { get; init; }

    /// <summary>The path in the record, for messages (e.g. <c>Order.lines[].price</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The model schema of values at this node (a record schema for <see cref="BindingKind.Record"/>).</summary>
    public required ModelSchema Schema { get; init; }

    /// <summary>Optional: the inner value; List: the element; Map: the value.</summary>
    public FieldBinding? Child { get; init; }

    /// <summary>Map: the key leaf.</summary>
    public FieldBinding? Key { get; init; }

    /// <summary>Record: the fields in model order; Union: the members in branch order.</summary>
    public IReadOnlyList<FieldBinding> Children { get; init; } = [];

    /// <summary>Optional: the definition level of a present value. List/Map: that of a present element.</summary>
    public int DefinitionLevel { get; init; }

    /// <summary>List/Map: the repetition level of the repeated node (continuing the same list).</summary>
    public int RepetitionLevel { get; init; }

    /// <summary>Leaf: the Parquet column.</summary>
    public ParquetSchemaNode? Column { get; init; }

    /// <summary>Leaf: the value conversion.</summary>
    public LeafKind LeafKind { get; init; }

    /// <summary>Leaf: the decimal scale, when a decimal.</summary>
    public int Scale { get; init; }

    /// <summary>The file column indexes of every leaf under this node, in column order.</summary>
    public required int[] Columns { get; init; }
}
