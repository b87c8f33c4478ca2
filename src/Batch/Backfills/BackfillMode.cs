namespace Streams.Batch.Backfills;

/// <summary>What a backfill recomputes.</summary>
public enum BackfillMode
{
    /// <summary>Incremental when the pipeline's bookmarks are enabled or paused, full otherwise.</summary>
    Auto,

    /// <summary>Every file of the kept partitions: a new batch generation replaces the current one.</summary>
    Full,

    /// <summary>Only files added, changed or removed since the bookmark: the windows they touch are recomputed, the rest carried over.</summary>
    Incremental,
}
