using Streams.Formats.Model;

namespace Streams.Streaming.Consume;

/// <summary>One message read by <see cref="TopicReader"/>: decoded, or the reason it was not.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset.</param>
/// <param name="Timestamp">The message timestamp (UTC).</param>
/// <param name="Key">The key as UTF-8 text, or null.</param>
/// <param name="SchemaId">The registry id the value names, when it has the wire-format header.</param>
/// <param name="Value">The decoded value; null for a tombstone or when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the value did not decode, or null.</param>
public sealed record ConsumedMessage(int Partition, long Offset, DateTime Timestamp, string? Key, int? SchemaId, GenericRecord? Value, string? Error);
