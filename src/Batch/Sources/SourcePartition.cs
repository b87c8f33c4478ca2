namespace Streams.Batch.Sources;

/// <summary>A partition of a source, as the dry run lists it.</summary>
/// <param name="Values">The partition values in key order (empty for an unpartitioned source).</param>
/// <param name="Location">Where its files live.</param>
/// <param name="Files">How many data files it holds.</param>
/// <param name="Bytes">Their total size.</param>
public sealed record SourcePartition(IReadOnlyList<string> Values, string Location, int Files, long Bytes);
