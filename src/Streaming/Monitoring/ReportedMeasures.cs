namespace Streams.Streaming.Monitoring;

/// <summary>What the processes running one pipeline reported recently (<see cref="SpeedStatusStore.ReportedAsync"/>).</summary>
/// <param name="Processes">How many processes reported.</param>
/// <param name="RecordsPerSecond">Records/s over the last seconds, summed over them.</param>
/// <param name="FreshnessP50">The worst process's freshness p50 in seconds (record timestamp to commit), or null before any commit.</param>
/// <param name="FreshnessP99">The worst process's freshness p99 in seconds, or null before any commit.</param>
public sealed record ReportedMeasures(int Processes, double RecordsPerSecond, double? FreshnessP50, double? FreshnessP99);
