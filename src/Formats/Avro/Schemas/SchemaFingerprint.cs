using System.Security.Cryptography;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// Fingerprints of a schema's Parsing Canonical Form (Avro 1.11 specification, "Schema Fingerprints"):
/// the 64-bit CRC-64-AVRO Rabin fingerprint used by single-object encoding, MD5 and SHA-256.
/// </summary>
public static class SchemaFingerprint
{
    /// <summary>The specification's <c>EMPTY</c>: the fingerprint of no bytes, and the polynomial's seed.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = BuildTable();

    /// <summary>The CRC-64-AVRO fingerprint of <paramref name="schema"/>'s canonical form.</summary>
    public static long Rabin(Schema schema) => Rabin(CanonicalForm.Utf8Of(schema));

    /// <summary>The CRC-64-AVRO fingerprint of <paramref name="data"/>.</summary>
    public static long Rabin(ReadOnlySpan<byte> data)
    {
        var fp = Empty;
        foreach (var b in data)
        {
            fp = (fp >> 8) ^ Table[(int)(fp ^ b) & 0xFF];
        }

        return unchecked((long)fp);
    }

    /// <summary>The MD5 digest (16 bytes) of <paramref name="schema"/>'s canonical form.</summary>
    public static byte[] Md5(Schema schema) => MD5.HashData(CanonicalForm.Utf8Of(schema));

    /// <summary>The SHA-256 digest (32 bytes) of <paramref name="schema"/>'s canonical form.</summary>
    public static byte[] Sha256(Schema schema) => SHA256.HashData(CanonicalForm.Utf8Of(schema));

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var fp = (ulong)i;
            for (var j = 0; j < 8; j++)
            {
                fp = (fp >> 1) ^ (Empty & (0UL - (fp & 1)));
            }

            table[i] = fp;
        }

        return table;
    }
}
