namespace Streams.Formats.Csv;

/// <summary>
/// A delimited text file is malformed or a field does not convert to its column's type. The message
/// names the file, the row (1-based, counting the header) and the column.
/// </summary>
public sealed class CsvFormatException : RecordFileException
{
    /// <summary>Creates the exception for <paramref name="detail"/> at a position in a file.</summary>
    public CsvFormatException(string detail, string file, long row, int column, string? columnName = null,
        Exception? inner = null)
        : base(Format(detail, file, row, column, columnName), file, inner)
    {
        Detail = detail;
        File = file;
        Row = row;
        Column = column;
        ColumnName = columnName;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Detail { get; }

    /// <summary>The file (or stream name) being read.</summary>
    public string File { get; }

    /// <summary>The 1-based row number (physical record number, the header being row 1 when present).</summary>
    public long Row { get; }

    /// <summary>The 1-based column number; 0 when the problem concerns the whole row.</summary>
    public int Column { get; }

    /// <summary>The column name from the header or schema, when known.</summary>
    public string? ColumnName { get; }

    private static string Format(string detail, string file, long row, int column, string? columnName) =>
        column == 0
            ? $"{file}: row {row}: {detail}"
            : $"{file}: row {row}, column {column}{(columnName is null ? "" : $" ({columnName})")}: {detail}";
}
