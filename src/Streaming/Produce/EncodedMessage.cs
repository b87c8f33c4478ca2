namespace Streams.Streaming.Produce;

/// <summary>A message in an <see cref="EncodedBatch"/>: its record's ordinal in the file, and its value and key (length -1: none).</summary>
internal readonly record struct EncodedMessage(long Ordinal, int ValueStart, int ValueLength, int KeyStart, int KeyLength)
{
    /// <summary>The bytes of its value and key.</summary>
    public int Size => ValueLength + Math.Max(0, KeyLength);
}
