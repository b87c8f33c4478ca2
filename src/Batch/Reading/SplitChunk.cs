using Streams.Pipelines;

namespace Streams.Batch.Reading;

/// <summary>What a reader hands the transform step: records of a split, a failure in it, or its end.</summary>
/// <param name="Split">The split.</param>
public abstract record SplitChunk(FileSplit Split)
{
    /// <summary>Records read from the split, with their file and row positions.</summary>
    public sealed record Records(FileSplit Split, RecordBatch Batch) : SplitChunk(Split);

    /// <summary>
    /// Data the reader could not read: a file that does not open, a corrupt block (the rest of the file
    /// from <paramref name="Row"/> on), a row that does not fit the schema.
    /// </summary>
    /// <param name="Split">The split.</param>
    /// <param name="Row">The 0-based row where the unreadable data starts.</param>
    /// <param name="Reason">What is wrong, naming the file and the place.</param>
    /// <param name="RestOfSplit">True when nothing after <paramref name="Row"/> could be read.</param>
    public sealed record Failure(FileSplit Split, long Row, string Reason, bool RestOfSplit) : SplitChunk(Split);

    /// <summary>The split was read to its end.</summary>
    /// <param name="Split">The split.</param>
    /// <param name="Rows">Rows read.</param>
    /// <param name="RowGroupsSkipped">Parquet row groups skipped by statistics.</param>
    public sealed record Done(FileSplit Split, long Rows, int RowGroupsSkipped) : SplitChunk(Split);
}
