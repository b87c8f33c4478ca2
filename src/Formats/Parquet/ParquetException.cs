namespace Streams.Formats.Parquet;

/// <summary>
/// A Parquet file is corrupt, truncated or uses a feature this implementation does not read. The message
/// names the file, and where known the column (dotted path) and the byte offset in the file.
/// </summary>
public sealed class ParquetException : RecordFileException
{
    /// <summary>Creates the exception; the message is prefixed with the location.</summary>
    public ParquetException(string message, string? filePath = null, string? column = null, long? offset = null,
        Exception? innerException = null)
        : base(Describe(message, filePath, column, offset), filePath, innerException)
    {
        Column = column;
        Offset = offset;
    }

    /// <summary>The dotted path of the column, when the problem is in one.</summary>
    public string? Column { get; }

    /// <summary>The byte offset in the file of the page or structure being decoded.</summary>
    public long? Offset { get; }

    private static string Describe(string message, string? filePath, string? column, long? offset)
    {
        var where = new List<string>(3);
        if (filePath is not null) where.Add(filePath);
        if (column is not null) where.Add($"column '{column}'");
        if (offset is not null) where.Add($"byte offset {offset}");
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
