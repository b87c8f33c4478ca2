namespace Streams.Host.Api.Health;

/// <summary>How one dependency answered a health probe.</summary>
/// <param name="Name">postgres, kafka, registry or lake.</param>
/// <param name="State"><c>up</c> or <c>down</c>.</param>
/// <param name="LatencyMs">How long the probe took, in milliseconds (up to the probe's deadline when it timed out).</param>
/// <param name="Error">Why it is down, for the operator.</param>
internal sealed record DependencyHealth(string Name, string State, double LatencyMs, string? Error = null)
{
    public const string Up = "up";
    public const string Down = "down";
}
