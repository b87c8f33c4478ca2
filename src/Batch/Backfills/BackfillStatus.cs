namespace Streams.Batch.Backfills;

/// <summary>How a backfill ended (Glue's job run states).</summary>
public enum BackfillStatus
{
    /// <summary>The run swapped its result in (possibly with dead letters, counted in the summary).</summary>
    Succeeded,

    /// <summary>Nothing changed: nothing could be read, or more dead letters than allowed, or an error.</summary>
    Failed,

    /// <summary>A dry run: nothing was read or changed.</summary>
    Planned,
}
