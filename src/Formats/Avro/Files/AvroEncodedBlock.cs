namespace Streams.Formats.Avro.Files;

/// <summary>
/// The records of one block of a container file as they are encoded (<see cref="AvroFileReader.ReadEncodedBlockAsync"/>):
/// record <c>i</c> (<see cref="Record"/>) ends at <c>Ends[i]</c> and starts where the one before ends, in the file's schema. The bytes are the reader's, valid until its next read.
/// </summary>
/// <param name="Index">The zero-based block index.</param>
/// <param name="Offset">The byte offset of the block in the file.</param>
/// <param name="Data">The block's records, decompressed.</param>
/// <param name="Ends">Where each record ends in <paramref name="Data"/>.</param>
public sealed record AvroEncodedBlock(long Index, long Offset, ReadOnlyMemory<byte> Data, IReadOnlyList<int> Ends)
{
    /// <summary>The number of records.</summary>
    public int Count => Ends.Count;

    /// <summary>The bytes of record <paramref name="i"/>.</summary>
    public ReadOnlySpan<byte> Record(int i) => Data.Span[(i == 0 ? 0 : Ends[i - 1])..Ends[i]];
}
