namespace Streams.Batch.Backfills;

/// <summary>What the readers found in one file: rows, and the range of its event times (when they are tracked).</summary>
internal sealed class FileStatistics
{
    public long Rows;
    public int SplitsDone;
    public DateTime? MinTime;
    public DateTime? MaxTime;

    public void Add(DateTime time)
    {
        if (MinTime is null || time < MinTime)
        {
            MinTime = time;
        }

        if (MaxTime is null || time > MaxTime)
        {
            MaxTime = time;
        }
    }
}
