namespace Streams.Formats.Parquet;

/// <summary>
/// A Parquet file is corrupt, truncated, holds a value its type cannot have, or uses a feature this
/// implementation does not read. The message names the file, and where known the column (dotted path), the
/// row group and the byte offset in the file.
/// </summary>
public sealed class ParquetException : RecordFileException
{
    /// <summary>Creates the exception; the message is prefixed with the location.</summary>
    public ParquetException(string message, string? filePath = null, string? column = null, long? offset = null,
        Exception? innerException = null, int? rowGroup = null)
        : base(Describe(message, filePath, column, rowGroup, offset), filePath, innerException)
    {
        Reason = message;
        Column = column;
        Offset = offset;
        RowGroup = rowGroup;
    }

    /// <summary>The message without the location.</summary>
    public string Reason { get; }

    /// <summary>The dotted path of the column, when the problem is in one.</summary>
    public string? Column { get; }

    /// <summary>The byte offset in the file of the page or structure being decoded.</summary>
    public long? Offset { get; }

    /// <summary>The index of the row group, when the problem is in one.</summary>
    public int? RowGroup { get; }

    /// <summary>This error with the file and row group filled in where it lacked them.</summary>
    internal ParquetException Within(string? filePath, int rowGroup) =>
        FileName is not null && RowGroup is not null
            ? this
            : new ParquetException(Reason, FileName ?? filePath, Column, Offset, InnerException ?? this, RowGroup ?? rowGroup);

    private static string Describe(string message, string? filePath, string? column, int? rowGroup, long? offset)
    {
        var where = new List<string>(4);
        if (filePath is not null) where.Add(filePath);
        if (column is not null) where.Add($"column '{column}'");
        if (rowGroup is not null) where.Add($"row group {rowGroup}");
        if (offset is not null) where.Add($"byte offset {offset}");
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
