namespace Streams.Streaming.Monitoring;

/// <summary>What a speed-layer pipeline running in this process is doing, as <c>GET /api/status</c> shows it.</summary>
/// <param name="Pipeline">The pipeline name.</param>
/// <param name="Topic">The source topic.</param>
/// <param name="State">The Streamiz application state (CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, ERROR).</param>
/// <param name="RecordsIn">Records consumed and committed (as rows or dead letters) since the process started.</param>
/// <param name="RowsOut">Rows written to the serving output.</param>
/// <param name="DeadLetters">Records dead-lettered.</param>
/// <param name="RecordsPerSecond">Records committed per second over the last ten seconds.</param>
/// <param name="FreshnessP50">Median seconds from a record's Kafka timestamp to its commit, over the recent records; null before any.</param>
/// <param name="FreshnessP99">The 99th percentile of the same.</param>
/// <param name="LastCommitAt">When the last micro-batch committed (UTC), or null before any.</param>
/// <param name="Partitions">The partitions this process owns now.</param>
public sealed record PipelineStatus(
    string Pipeline,
    string Topic,
    string State,
    long RecordsIn,
    long RowsOut,
    long DeadLetters,
    double RecordsPerSecond,
    double? FreshnessP50,
    double? FreshnessP99,
    DateTime? LastCommitAt,
    IReadOnlyList<PartitionStatus> Partitions)
{
    /// <summary>The lag summed over the owned partitions, or null when the broker could not be asked for one of them.</summary>
    public long? Lag => Partitions.Any(p => p.Lag is null) ? null : Partitions.Sum(p => p.Lag!.Value);
}
