using Confluent.Kafka;

namespace Streams.Registry.Serdes;

/// <summary>
/// A message starts neither with Confluent's zero magic byte nor with Glue's header version 3: it was not written by a
/// registry serializer.
/// </summary>
public sealed class UnknownMagicByteException(byte magicByte, SerializationContext context)
    : SchemaSerdesException(
        $"Unknown magic byte {magicByte}: the message starts neither with the Confluent wire format's magic byte 0 nor with Glue's header version 3", context)
{
    /// <summary>The first byte found.</summary>
    public byte MagicByte { get; } = magicByte;
}
