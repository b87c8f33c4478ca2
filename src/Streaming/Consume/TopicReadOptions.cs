namespace Streams.Streaming.Consume;

/// <summary>What <see cref="TopicReader"/> reads.</summary>
public sealed record TopicReadOptions
{
    /// <summary>The topic.</summary>
    public required string Topic { get; init; }

    /// <summary>A consumer group to resume from and commit to; null reads without committing anything.</summary>
    public string? Group { get; init; }

    /// <summary>Starts at the oldest record where the group has no committed offset (or without a group); else at the end.</summary>
    public bool FromBeginning { get; init; }

    /// <summary>Stops after this many messages; null for no limit.</summary>
    public long? Limit { get; init; }

    /// <summary>Stops when nothing arrives for this long; null waits until cancelled.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}
