namespace Streams.Formats.Parquet.Thrift;

/// <summary>Thrift compact data is malformed; <see cref="Offset"/> is the byte offset in the decoded buffer.</summary>
public sealed class ThriftException(string message, long offset) : Exception($"{message} (at byte {offset})")
{
    /// <summary>The byte offset, within the buffer being decoded, where the problem was found.</summary>
    public long Offset { get; } = offset;
}
