using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Schema;

/// <summary>The schema tree of a Parquet file, built from the depth-first list of schema elements.</summary>
public sealed class ParquetSchema
{
    private ParquetSchema(ParquetSchemaNode root, IReadOnlyList<ParquetSchemaNode> columns, IReadOnlyList<SchemaElement> elements)
    {
        Root = root;
        Columns = columns;
        Elements = elements;
    }

    /// <summary>The root group (the message).</summary>
    public ParquetSchemaNode Root { get; }

    /// <summary>The leaves, in the order of the column chunks of every row group.</summary>
    public IReadOnlyList<ParquetSchemaNode> Columns { get; }

    /// <summary>The flattened elements, as stored in the footer.</summary>
    public IReadOnlyList<SchemaElement> Elements { get; }

    /// <summary>Builds the tree; throws <see cref="FormatException"/> when the element list is inconsistent.</summary>
    public static ParquetSchema FromElements(IReadOnlyList<SchemaElement> elements)
    {
        if (elements.Count == 0)
        {
            throw new FormatException("The schema has no elements.");
        }

        var columns = new List<ParquetSchemaNode>();
        var index = 0;
        var root = Build(elements, ref index, null, [], columns, 0);
        if (index != elements.Count)
        {
            throw new FormatException($"The schema lists {elements.Count} elements but its tree holds {index}.");
        }

        return new ParquetSchema(root, columns, elements);
    }

    private static ParquetSchemaNode Build(IReadOnlyList<SchemaElement> elements, ref int index, ParquetSchemaNode? parent,
        IReadOnlyList<string> path, List<ParquetSchemaNode> columns, int depth)
    {
        if (index >= elements.Count)
        {
            throw new FormatException("The schema's num_children exceed its element count.");
        }

        if (depth > 200)
        {
            throw new FormatException("The schema is nested too deeply.");
        }

        var element = elements[index++];
        var node = new ParquetSchemaNode(element, parent, path);
        if (element.NumChildren is { } count && (count > 0 || parent is null))
        {
            var children = new ParquetSchemaNode[count];
            for (var i = 0; i < count; i++)
            {
                var childName = index < elements.Count ? elements[index].Name : "";
                children[i] = Build(elements, ref index, node, [.. path, childName], columns, depth + 1);
            }

            node.Children = children;
        }
        else if (element.Type is null)
        {
            throw new FormatException($"Schema element '{element.Name}' is neither a group nor has a physical type.");
        }
        else
        {
            node.ColumnIndex = columns.Count;
            columns.Add(node);
        }

        if (node.MaxDefinitionLevel > 255 || node.MaxRepetitionLevel > 255)
        {
            throw new FormatException($"Schema element '{element.Name}' is nested beyond 255 levels.");
        }

        return node;
    }
}
