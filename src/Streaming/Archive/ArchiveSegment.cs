namespace Streams.Streaming.Archive;

/// <summary>One archive file of a partition: its path, hour folder, offset range, size and when it was written.</summary>
/// <param name="Path">The file.</param>
/// <param name="Folder">Its <c>dt=/hour=</c> folder.</param>
/// <param name="First">Its first offset.</param>
/// <param name="Last">Its last offset.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="WrittenAt">When it was written (UTC).</param>
internal sealed record ArchiveSegment(string Path, string Folder, long First, long Last, long Bytes, DateTimeOffset WrittenAt);
