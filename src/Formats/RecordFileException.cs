namespace Streams.Formats;

/// <summary>
/// A record file (Avro, JSON lines, Parquet...) is truncated, corrupt or does not fit its schema. The message
/// names the file and the place (block and offset, line, row...); <see cref="FileName"/> repeats the file.
/// </summary>
public abstract class RecordFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected RecordFileException(string message, string? fileName, Exception? innerException)
        : base(message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The file's name or path when known.</summary>
    public string? FileName { get; }
}
