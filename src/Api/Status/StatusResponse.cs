using System.Text.Json.Serialization;
using Streams.Streaming.Monitoring;

namespace Streams.Api.Status;

/// <summary>The body of <c>GET /api/status</c>.</summary>
/// <param name="Time">When it was computed (UTC).</param>
/// <param name="Pipelines">The speed-layer pipelines running in this host, by name.</param>
public sealed record StatusResponse(
    [property: JsonPropertyName("time")] DateTime Time,
    [property: JsonPropertyName("pipelines")] IReadOnlyList<PipelineStatusBody> Pipelines)
{
    /// <summary>The response for <paramref name="statuses"/>.</summary>
    public static StatusResponse From(IReadOnlyList<PipelineStatus> statuses, DateTime now) => new(now, [.. statuses.Select(s => new PipelineStatusBody(
        s.Pipeline, s.Topic, s.State, s.RecordsIn, s.RowsOut, s.DeadLetters, Math.Round(s.RecordsPerSecond, 1), s.Lag,
        new FreshnessBody(s.FreshnessP50, s.FreshnessP99), s.LastCommitAt,
        [.. s.Partitions.Select(p => new PartitionStatusBody(p.Partition, p.NextOffset, p.HighOffset, p.Lag, p.Pending))]))]);
}
