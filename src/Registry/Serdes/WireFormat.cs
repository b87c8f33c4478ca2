using System.Buffers.Binary;

namespace Streams.Registry.Serdes;

/// <summary>
/// Confluent's wire format: a zero magic byte, the schema id as a 4-byte big-endian integer, then the
/// Avro binary encoding of the value.
/// </summary>
public static class WireFormat
{
    /// <summary>The first byte of every message.</summary>
    public const byte MagicByte = 0;

    /// <summary>The bytes before the Avro payload.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes the header for <paramref name="schemaId"/> into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int schemaId)
    {
        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..HeaderSize], schemaId);
    }

    /// <summary>The schema id of a message whose header is valid.</summary>
    public static int ReadSchemaId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32BigEndian(message[1..HeaderSize]);
}
