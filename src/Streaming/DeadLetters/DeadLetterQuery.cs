namespace Streams.Streaming.DeadLetters;

/// <summary>Which dead letters to list or replay, oldest position first.</summary>
/// <param name="Limit">At most this many, or all when null.</param>
/// <param name="Reason">Only those whose reason or stage contains this text (case-insensitive), or all when null.</param>
public sealed record DeadLetterQuery(int? Limit = null, string? Reason = null);
