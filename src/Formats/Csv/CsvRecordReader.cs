using System.Runtime.CompilerServices;
using Streams.Formats.Model;

namespace Streams.Formats.Csv;

/// <summary>
/// Reads delimited text as <see cref="GenericRecord"/>s of a given <see cref="RecordSchema"/>. With a header,
/// columns are matched to fields by name (every field must have a column unless it is nullable); without
/// one, by position. Each field converts with <see cref="CsvValueConverter"/>; a failure names the file,
/// row and column.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly CsvReader _reader;
    private readonly RecordSchema _schema;
    private readonly CsvOptions _options;
    private int[]? _columnOfField;
    private CsvFieldConverter[]? _converters;
    private string[]? _header;

    /// <summary>Creates a reader of records of <paramref name="schema"/> over <paramref name="reader"/>.</summary>
    public CsvRecordReader(TextReader reader, string file, RecordSchema schema, CsvOptions? options = null)
    {
        _options = options ?? CsvOptions.Default;
        _reader = new CsvReader(reader, file, _options);
        _schema = schema ?? throw new ArgumentNullException(nameof(schema));
    }

    /// <summary>Whether the columns are matched to fields (after the header row, if any): later failures are per row.</summary>
    public bool ColumnsResolved => _columnOfField is not null;

    /// <summary>The column names of the header row, once read (<c>null</c> without a header).</summary>
    public IReadOnlyList<string>? Header => _header;

    /// <summary>Reads the next record; <c>null</c> at the end of input.</summary>
    /// <exception cref="CsvFormatException">The row is malformed or a value does not convert.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public GenericRecord? Read()
    {
        _columnOfField ??= ResolveColumns();
        _converters ??= [.. _schema.Fields.Select(f => new CsvFieldConverter(f.Schema, _options.NullValue))];
        if (!_reader.Read())
        {
            return null;
        }

        var fields = _schema.Fields;
        var expected = _header?.Length ?? fields.Count;
        if (_reader.FieldCount != expected)
        {
            throw new CsvFormatException($"Expected {expected} fields but found {_reader.FieldCount}.", _reader.File, _reader.Row, 0);
        }

        var values = new object?[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var column = _columnOfField[i];
            if (column < 0)
            {
                continue;
            }

            try
            {
                values[i] = _converters[i].Convert(_reader.GetField(column));
            }
            catch (FormatException e)
            {
                throw new CsvFormatException(e.Message, _reader.File, _reader.Row, column + 1, fields[i].Name, e);
            }
        }

        return new GenericRecord(_schema, values);
    }

    private int[] ResolveColumns()
    {
        var fields = _schema.Fields;
        var map = new int[fields.Count];
        if (!_options.HasHeader)
        {
            for (var i = 0; i < map.Length; i++)
            {
                map[i] = i;
            }

            return map;
        }

        var names = new List<string>();
        if (!_reader.ReadRow(names))
        {
            throw new CsvFormatException("The header row is missing: the input is empty.", _reader.File, 1, 0);
        }

        _header = [.. names];
        for (var i = 0; i < fields.Count; i++)
        {
            map[i] = Array.IndexOf(_header, fields[i].Name);
            if (map[i] < 0 && !CsvValueConverter.IsNullable(fields[i].Schema))
            {
                throw new CsvFormatException($"The header has no column '{fields[i].Name}', which is not nullable.",
                    _reader.File, 1, 0);
            }
        }

        return map;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
