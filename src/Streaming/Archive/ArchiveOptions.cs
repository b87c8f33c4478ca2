namespace Streams.Streaming.Archive;

/// <summary>When the lake archive rolls a partition's micro-batch segments into one file.</summary>
public sealed record ArchiveOptions
{
    /// <summary>Roll when a partition's segments in one hour folder reach this many bytes (default 64 MiB).</summary>
    public long MaxFileBytes { get; init; } = 64L << 20;

    /// <summary>Roll when a partition's oldest segment in one hour folder is this old (default 5 minutes).</summary>
    public TimeSpan MaxFileAge { get; init; } = TimeSpan.FromMinutes(5);
}
