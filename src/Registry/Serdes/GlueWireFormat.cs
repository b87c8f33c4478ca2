namespace Streams.Registry.Serdes;

/// <summary>
/// The wire format of AWS Glue Schema Registry's serializers: header version byte 3, a compression byte (0 none,
/// 5 zlib), the 16-byte schema version UUID (most significant byte first, as Java writes it), then the Avro binary
/// encoding of the value, zlib-compressed when the compression byte says so.
/// </summary>
public static class GlueWireFormat
{
    /// <summary>The first byte of every message.</summary>
    public const byte HeaderVersion = 3;

    /// <summary>The compression byte of an uncompressed body.</summary>
    public const byte NoCompression = 0;

    /// <summary>The compression byte of a zlib-compressed body.</summary>
    public const byte ZlibCompression = 5;

    /// <summary>The bytes before the body.</summary>
    public const int HeaderSize = 18;

    /// <summary>Writes the header for <paramref name="versionId"/> into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, Guid versionId, byte compression)
    {
        destination[0] = HeaderVersion;
        destination[1] = compression;
        versionId.TryWriteBytes(destination[2..HeaderSize], bigEndian: true, out _);
    }

    /// <summary>The schema version UUID of a message whose header is valid.</summary>
    public static Guid ReadVersionId(ReadOnlySpan<byte> message) => new(message[2..HeaderSize], bigEndian: true);
}
