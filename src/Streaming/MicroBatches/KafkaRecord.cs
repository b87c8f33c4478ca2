using Streams.Registry.Serdes;

namespace Streams.Streaming.MicroBatches;

/// <summary>One record as consumed from the source topic, before the schema is enforced: bytes and where they came from.</summary>
/// <param name="Topic">The source topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset in the partition.</param>
/// <param name="Timestamp">The record's Kafka timestamp (UTC).</param>
/// <param name="Key">The key bytes, or null.</param>
/// <param name="Value">The value bytes, or null (a tombstone).</param>
public sealed record KafkaRecord(string Topic, int Partition, long Offset, DateTime Timestamp, byte[]? Key, byte[]? Value)
{
    /// <summary>The schema id of the value's wire-format header, or null when the value has no such header.</summary>
    public int? SchemaId => Value is { Length: >= WireFormat.HeaderSize } v && v[0] == WireFormat.MagicByte ? WireFormat.ReadSchemaId(v) : null;
}
