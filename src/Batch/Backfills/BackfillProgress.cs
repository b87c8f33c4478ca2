namespace Streams.Batch.Backfills;

/// <summary>How far a running backfill is.</summary>
/// <param name="SplitsDone">Splits read to their end.</param>
/// <param name="SplitsTotal">Splits to read.</param>
/// <param name="Rows">Records read.</param>
/// <param name="Bytes">Bytes of the splits done.</param>
/// <param name="BytesTotal">Bytes of every split.</param>
/// <param name="DeadLetters">Records and unreadable data sent to the dead letters so far.</param>
/// <param name="Elapsed">Time since the reading started.</param>
public sealed record BackfillProgress(int SplitsDone, int SplitsTotal, long Rows, long Bytes, long BytesTotal, long DeadLetters, TimeSpan Elapsed)
{
    /// <summary>Megabytes (10^6 bytes) per second so far.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1e6 / Elapsed.TotalSeconds : 0;

    /// <summary>The remaining time at the rate so far, or null before any byte.</summary>
    public TimeSpan? Remaining => Bytes > 0 && Elapsed > TimeSpan.Zero
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (BytesTotal - Bytes) / Bytes)
        : null;
}
