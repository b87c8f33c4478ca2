using Streams.Formats.Model;

namespace Streams.Formats.Parquet.Columns;

/// <summary>
/// Rebuilds records from the columns of a row group. Each top-level field owns its columns, so fields are
/// assembled one at a time over all rows: flat fields in a tight loop, nested ones by walking levels with a
/// cursor per column (a null or empty node consumes one entry of every column below it; a list continues
/// while the next entry's repetition level equals the list's).
/// </summary>
internal sealed class RecordAssembler
{
    private readonly FieldBinding _root;
    private readonly ColumnBuffer?[] _columns;
    private readonly int[] _levelCursor;
    private readonly int[] _valueCursor;
    private readonly string? _file;
    private readonly int _rowGroup;
    private int _rowsDone;
    private int _row; // the row of the slice being assembled by Read, for errors

    public RecordAssembler(FieldBinding root, ColumnBuffer?[] columns, string? file, int rowGroup)
    {
        _root = root;
        _columns = columns;
        _file = file;
        _rowGroup = rowGroup;
        _levelCursor = new int[columns.Length];
        _valueCursor = new int[columns.Length];
    }

    /// <summary>
    /// Assembles the next <paramref name="rowCount"/> records. Callers take a row group in slices so that the
    /// records of one slice can be consumed and collected while they are young.
    /// </summary>
    /// <exception cref="ParquetException">The columns are inconsistent or hold a value out of its type's range; names the file, column and row group.</exception>
    public GenericRecord[] Assemble(int rowCount)
    {
        try
        {
            var records = AssembleRows(rowCount);
            _rowsDone += rowCount;
            return records;
        }
        catch (ParquetException e)
        {
            throw e.Within(_file, _rowGroup);
        }
    }

    private GenericRecord[] AssembleRows(int rowCount)
    {
        var schema = (RecordSchema)_root.Schema;
        var fieldCount = _root.Children.Count;
        var values = new object?[rowCount][];
        for (var row = 0; row < rowCount; row++)
        {
            values[row] = new object?[fieldCount];
        }

        for (var f = 0; f < fieldCount; f++)
        {
            var field = _root.Children[f];
            if (field.Kind == BindingKind.Leaf || (field.Kind == BindingKind.Optional && field.Child!.Kind == BindingKind.Leaf))
            {
                AssembleFlat(field, values, f, rowCount);
                continue;
            }

            for (var row = 0; row < rowCount; row++)
            {
                _row = row;
                values[row][f] = Read(field);
            }
        }

        var records = new GenericRecord[rowCount];
        for (var row = 0; row < rowCount; row++)
        {
            records[row] = new GenericRecord(schema, values[row]);
        }

        return records;
    }

    private void AssembleFlat(FieldBinding field, object?[][] values, int f, int rowCount)
    {
        var leaf = field.Kind == BindingKind.Leaf ? field : field.Child!;
        var index = leaf.Columns[0];
        var column = Column(index);
        var kind = leaf.LeafKind;
        var scale = leaf.Scale;
        var level = _levelCursor[index];
        var v = _valueCursor[index];
        if (column.LevelCount - level < rowCount)
        {
            throw new ParquetException($"The column has {column.LevelCount} entries, fewer than the rows of its row group.", column: field.Path);
        }

        if (column.MaxDefinitionLevel == 0)
        {
            if (column.ValueCount - v < rowCount)
            {
                throw new ParquetException($"The column has {column.ValueCount} values, fewer than the rows of its row group.", column: field.Path);
            }

            var row = 0;
            try
            {
                for (; row < rowCount; row++)
                {
                    values[row][f] = LeafValues.ReadShared(column, v++, kind, scale);
                }
            }
            catch (InvalidDataException e)
            {
                throw OutOfRange(e, leaf, row);
            }
        }
        else
        {
            var levels = column.DefinitionLevels;
            var max = column.MaxDefinitionLevel;
            var row = 0;
            try
            {
                for (; row < rowCount; row++)
                {
                    if (levels[level + row] == max)
                    {
                        if (v >= column.ValueCount)
                        {
                            throw new ParquetException("The column has fewer values than its definition levels announce.", column: field.Path);
                        }

                        values[row][f] = LeafValues.ReadShared(column, v++, kind, scale);
                    }
                }
            }
            catch (InvalidDataException e)
            {
                throw OutOfRange(e, leaf, row);
            }
        }

        _levelCursor[index] = level + rowCount;
        _valueCursor[index] = v;
    }

    private ParquetException OutOfRange(InvalidDataException e, FieldBinding leaf, int row) =>
        new($"Row {_rowsDone + row} of the row group: {e.Message}", column: leaf.Column?.DottedPath ?? leaf.Path, innerException: e);

    private ColumnBuffer Column(int index) =>
        _columns[index] ?? throw new InvalidOperationException($"Column {index} was not loaded.");

    private object? Read(FieldBinding node)
    {
        switch (node.Kind)
        {
            case BindingKind.Leaf:
            {
                var index = node.Columns[0];
                var column = _columns[index]!;
                _levelCursor[index]++;
                var v = _valueCursor[index]++;
                if (v >= column.ValueCount)
                {
                    throw new ParquetException("The column has fewer values than its definition levels announce.", column: node.Path);
                }

                try
                {
                    return LeafValues.ReadShared(column, v, node.LeafKind, node.Scale);
                }
                catch (InvalidDataException e)
                {
                    throw OutOfRange(e, node, _row);
                }
            }
            case BindingKind.Optional:
                if (PeekDefinition(node) < node.DefinitionLevel)
                {
                    SkipEntry(node);
                    return null;
                }

                return Read(node.Child!);
            case BindingKind.Record:
            {
                var fields = node.Children;
                var values = new object?[fields.Count];
                for (var i = 0; i < fields.Count; i++)
                {
                    values[i] = Read(fields[i]);
                }

                return new GenericRecord((RecordSchema)node.Schema, values);
            }
            case BindingKind.List:
            {
                var list = new List<object?>();
                if (PeekDefinition(node) < node.DefinitionLevel)
                {
                    SkipEntry(node);
                    return list;
                }

                do
                {
                    list.Add(Read(node.Child!));
                }
                while (ContinuesList(node));

                return list;
            }
            case BindingKind.Map:
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (PeekDefinition(node) < node.DefinitionLevel)
                {
                    SkipEntry(node);
                    return map;
                }

                do
                {
                    var key = (string)Read(node.Key!)!;
                    map[key] = Read(node.Child!);
                }
                while (ContinuesList(node));

                return map;
            }
            case BindingKind.Union:
            {
                object? result = null;
                foreach (var member in node.Children)
                {
                    // Every member must be read to move its columns' cursors, even after the value is found.
                    var value = Read(member);
                    result ??= value;
                }

                return result;
            }
            default:
                throw new InvalidOperationException($"Unknown binding kind {node.Kind}.");
        }
    }

    private int PeekDefinition(FieldBinding node)
    {
        var index = node.Columns[0];
        var column = _columns[index]!;
        var cursor = _levelCursor[index];
        if (cursor >= column.LevelCount)
        {
            throw new ParquetException("The column ended before the rows of its row group did.", column: node.Path);
        }

        return column.DefinitionLevels[cursor];
    }

    private bool ContinuesList(FieldBinding node)
    {
        var index = node.Columns[0];
        var column = _columns[index]!;
        var cursor = _levelCursor[index];
        return cursor < column.LevelCount && column.RepetitionLevels[cursor] == node.RepetitionLevel;
    }

    private void SkipEntry(FieldBinding node)
    {
        foreach (var index in node.Columns)
        {
            _levelCursor[index]++;
        }
    }
}
