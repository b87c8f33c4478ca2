namespace Streams.Streaming.Monitoring;

/// <summary>
/// A speed-layer pipeline as PostgreSQL and the broker show it, whichever process runs it (or none):
/// its stored positions against the topic's high watermarks, its dead letters and its last commit.
/// </summary>
/// <param name="Pipeline">The pipeline name.</param>
/// <param name="Topic">The source topic.</param>
/// <param name="Output">The serving output it fills.</param>
/// <param name="DeadLetters">Rows in its dead-letter table.</param>
/// <param name="Partitions">Every partition of the topic (the broker's count), with its stored position.</param>
/// <param name="BrokerError">Why the broker could not be asked, when it could not (then lag is unknown).</param>
public sealed record StoredPipelineStatus(string Pipeline, string Topic, string Output, long DeadLetters, IReadOnlyList<PartitionStatus> Partitions,
    string? BrokerError)
{
    /// <summary>What the processes running it reported within the last seconds, or null when none runs it (or none reported yet).</summary>
    public ReportedMeasures? Reported { get; init; }

    /// <summary>The last commit of any partition (UTC), or null before any.</summary>
    public DateTime? LastCommitAt => Partitions.Max(p => p.LastCommitAt);

    /// <summary>The lag summed over the partitions, or null when the broker could not be asked for one of them.</summary>
    public long? Lag => Partitions.Count == 0 || Partitions.Any(p => p.Lag is null) ? null : Partitions.Sum(p => p.Lag!.Value);
}
