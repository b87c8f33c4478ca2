namespace Streams.Formats.Avro.Files;

/// <summary>
/// An Avro object container file is truncated or corrupt. Says which file, which block (-1 for the
/// header) and the byte offset in the file where the bad part starts; records of the blocks before it
/// have already been returned by the reader.
/// </summary>
public sealed class AvroFileException : RecordFileException
{
    /// <summary>Creates the exception.</summary>
    public AvroFileException(string reason, string? fileName, long blockIndex, long offset, Exception? innerException = null)
        : base(Describe(reason, fileName, blockIndex, offset), fileName, innerException)
    {
        Reason = reason;
        BlockIndex = blockIndex;
        Offset = offset;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The zero-based index of the bad block, or -1 when the header is bad.</summary>
    public long BlockIndex { get; }

    /// <summary>The byte offset in the file where the bad header or block starts (or the problem, when known).</summary>
    public long Offset { get; }

    private static string Describe(string reason, string? fileName, long blockIndex, long offset)
    {
        var where = blockIndex < 0 ? "header" : $"block {blockIndex}";
        return $"{fileName ?? "Avro file"}: {where} at byte offset {offset}: {reason}";
    }
}
