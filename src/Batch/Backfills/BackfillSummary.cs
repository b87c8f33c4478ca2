using Streams.Batch.Sources;

namespace Streams.Batch.Backfills;

/// <summary>What a backfill did.</summary>
public sealed record BackfillSummary
{
    /// <summary>The run's id (batch.runs).</summary>
    public required Guid RunId { get; init; }

    /// <summary>How it ended.</summary>
    public required BackfillStatus Status { get; init; }

    /// <summary>Full or incremental (as run, never Auto).</summary>
    public required BackfillMode Mode { get; init; }

    /// <summary>The source description (table or location).</summary>
    public required string Source { get; init; }

    /// <summary>The partitions kept by the predicate.</summary>
    public required IReadOnlyList<SourcePartition> Partitions { get; init; }

    /// <summary>Partitions the predicate left out (no file of theirs was listed or opened).</summary>
    public int PartitionsPruned { get; init; }

    /// <summary>Files in the kept partitions.</summary>
    public int FilesListed { get; init; }

    /// <summary>The files read (or, in a dry run, to be read).</summary>
    public IReadOnlyList<string> FilesRead { get; init; } = [];

    /// <summary>Files left alone because the bookmark has them unchanged.</summary>
    public int FilesUnchanged { get; init; }

    /// <summary>Bookmarked files that changed since (read again, their old contribution replaced).</summary>
    public int FilesChanged { get; init; }

    /// <summary>Bookmarked files that are gone (their contribution removed).</summary>
    public int FilesRemoved { get; init; }

    /// <summary>Unchanged files read again because they share windows with changed ones.</summary>
    public int FilesReread { get; init; }

    /// <summary>Splits read.</summary>
    public int Splits { get; init; }

    /// <summary>Records read.</summary>
    public long RowsRead { get; init; }

    /// <summary>Bytes of the files read.</summary>
    public long Bytes { get; init; }

    /// <summary>Parquet row groups skipped by statistics.</summary>
    public int RowGroupsSkipped { get; init; }

    /// <summary>Rows aggregated straight from column vectors (the columnar path); the others went through the record path.</summary>
    public long RowsColumnar { get; init; }

    /// <summary>Records and unreadable data in the dead letters.</summary>
    public long DeadLetters { get; init; }

    /// <summary>Rows written to the new batch generation.</summary>
    public long RowsWritten { get; init; }

    /// <summary>Rows carried over from the previous generation (incremental runs).</summary>
    public long RowsCarriedOver { get; init; }

    /// <summary>The generation swapped in, or null.</summary>
    public long? Generation { get; init; }

    /// <summary>The batch watermark swapped in, or null.</summary>
    public DateTime? Watermark { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why it failed, or notes.</summary>
    public string? Message { get; init; }
}
