using Streams.Formats.Model;

namespace Streams.Batch.Backfills;

/// <summary>How to run one backfill.</summary>
public sealed record BackfillOptions
{
    /// <summary>A partition predicate (Glue push_down_predicate) replacing the spec's <c>source.batch.where</c>; null: the spec's.</summary>
    public string? Where { get; init; }

    /// <summary>Full or incremental.</summary>
    public BackfillMode Mode { get; init; } = BackfillMode.Auto;

    /// <summary>Splits read at once; default the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Plan only: list the partitions and files that would be read, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The key of the job bookmark the run reads and saves; null: the pipeline's name (a <c>streams backfill</c>). Glue keeps
    /// a bookmark per job, so two jobs on one spec each pass their own.
    /// </summary>
    public string? BookmarkKey { get; init; }

    /// <summary>Forget the bookmark first (the run then reads every file).</summary>
    public bool ResetBookmark { get; init; }

    /// <summary>The run fails (and changes nothing) when more records than this go to the dead letters; null: no limit.</summary>
    public long? MaxErrors { get; init; }

    /// <summary>The batch watermark to swap in; null: the window's watermark after the last record (largest event time minus the delay).</summary>
    public DateTime? Watermark { get; init; }

    /// <summary>The schema of records in formats that carry none, replacing the spec's <c>source.schema</c>.</summary>
    public RecordSchema? Schema { get; init; }

    /// <summary>Records per batch handed to the transforms.</summary>
    public int BatchSize { get; init; } = 8192;

    /// <summary>Parquet files larger than this are read as several splits (row-group ranges).</summary>
    public long SplitBytes { get; init; } = 64L << 20;
}
