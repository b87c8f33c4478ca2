namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Avro binary data is truncated or malformed. <see cref="Offset"/> is the byte offset of the problem,
/// counted from the start of the buffer (or file) the reader was given.
/// </summary>
public sealed class AvroDataException : Exception
{
    /// <summary>Creates the exception; the message should say what was being read.</summary>
    public AvroDataException(string message, long offset, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>True when the data simply ends too early (more bytes could complete it), false when it is malformed.</summary>
    public bool IsTruncation { get; init; }

    /// <summary>The byte offset at which the data is bad.</summary>
    public long Offset { get; }
}
