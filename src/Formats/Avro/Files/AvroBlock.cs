namespace Streams.Formats.Avro.Files;

/// <summary>The records of one block of a container file.</summary>
/// <param name="Index">The zero-based block index.</param>
/// <param name="Offset">The byte offset of the block in the file.</param>
/// <param name="Records">The records, in file order.</param>
public sealed record AvroBlock(long Index, long Offset, IReadOnlyList<object?> Records);
