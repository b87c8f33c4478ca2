using System.Collections;
using Streams.Formats.Model;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Shreds records into per-column levels and values (Dremel striping): a null or empty node writes one
/// entry with the definition level reached into every column below it; a list element after the first
/// writes the list's repetition level.
/// </summary>
internal sealed class RecordShredder(FieldBinding root, ColumnBuffer[] columns)
{
    public void Shred(GenericRecord record)
    {
        var fields = root.Children;
        for (var i = 0; i < fields.Count; i++)
        {
            Shred(fields[i], record[i], 0, 0);
        }
    }

    private void Shred(FieldBinding node, object? value, int definition, int repetition)
    {
        switch (node.Kind)
        {
            case BindingKind.Leaf:
            {
                if (value is null)
                {
                    throw Required(node);
                }

                var column = columns[node.Columns[0]];
                column.AddLevels(definition, repetition);
                LeafValues.Append(column, value, node.LeafKind, node.Scale, node.Path);
                return;
            }
            case BindingKind.Optional:
                if (value is null)
                {
                    WriteAbsent(node, definition, repetition);
                }
                else
                {
                    Shred(node.Child!, value, node.DefinitionLevel, repetition);
                }

                return;
            case BindingKind.Record:
            {
                if (value is not GenericRecord record)
                {
                    throw value is null ? Required(node) : WrongType(node, value);
                }

                var fields = node.Children;
                for (var i = 0; i < fields.Count; i++)
                {
                    Shred(fields[i], record[i], definition, repetition);
                }

                return;
            }
            case BindingKind.List:
            {
                if (value is not IList list || value is byte[])
                {
                    throw value is null ? Required(node) : WrongType(node, value);
                }

                if (list.Count == 0)
                {
                    WriteAbsent(node, definition, repetition);
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Shred(node.Child!, list[i], node.DefinitionLevel, i == 0 ? repetition : node.RepetitionLevel);
                }

                return;
            }
            case BindingKind.Map:
            {
                var first = true;
                var any = false;
                foreach (var (key, item) in Entries(node, value))
                {
                    var level = first ? repetition : node.RepetitionLevel;
                    first = false;
                    any = true;
                    Shred(node.Key!, key, node.DefinitionLevel, level);
                    Shred(node.Child!, item, node.DefinitionLevel, level);
                }

                if (!any)
                {
                    WriteAbsent(node, definition, repetition);
                }

                return;
            }
            case BindingKind.Union:
            {
                if (value is null)
                {
                    throw Required(node);
                }

                var branch = UnionBranches.Select((UnionSchema)node.Schema, value);
                if (branch < 0)
                {
                    throw WrongType(node, value);
                }

                for (var i = 0; i < node.Children.Count; i++)
                {
                    Shred(node.Children[i], i == branch ? value : null, definition, repetition);
                }

                return;
            }
        }
    }

    private static IEnumerable<(string Key, object? Value)> Entries(FieldBinding node, object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.Select(e => (e.Key, e.Value)),
        IDictionary dictionary => dictionary.Cast<DictionaryEntry>().Select(e => ((string)e.Key, e.Value)),
        null => throw Required(node),
        _ => throw WrongType(node, value),
    };

    private void WriteAbsent(FieldBinding node, int definition, int repetition)
    {
        foreach (var index in node.Columns)
        {
            columns[index].AddLevels(definition, repetition);
        }
    }

    private static ParquetException Required(FieldBinding node) =>
        new($"Field '{node.Path}' is required but the value is null.", column: node.Path);

    private static ParquetException WrongType(FieldBinding node, object value) =>
        new($"Field '{node.Path}' of type {node.Schema.DisplayName} cannot hold {ValueEquality.Format(value)} ({value.GetType().Name}).", column: node.Path);
}
