using Confluent.Kafka;

namespace Streams.Registry.Serdes;

/// <summary>A message does not start with the wire format's zero magic byte: it was not written by a registry serializer.</summary>
public sealed class UnknownMagicByteException(byte magicByte, SerializationContext context)
    : SchemaSerdesException(
        $"Unknown magic byte {magicByte}: the message does not start with the Confluent wire format's magic byte 0", context)
{
    /// <summary>The first byte found.</summary>
    public byte MagicByte { get; } = magicByte;
}
