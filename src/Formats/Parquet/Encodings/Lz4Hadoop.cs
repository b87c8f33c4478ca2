using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>
/// Parquet's deprecated LZ4 codec: Hadoop's Lz4Codec framing, a sequence of (big-endian uncompressed length,
/// big-endian compressed length, LZ4 block). Writers that predate the framing (parquet-cpp before 2021) stored a
/// bare LZ4 block under the same codec, so reading falls back to that when the framing does not fit the page, as
/// Arrow does. The blocks themselves go through K4os.Compression.LZ4.
/// </summary>
internal static class Lz4Hadoop
{
    private const int PrefixLength = 8;

    /// <summary>Appends <paramref name="input"/> as one framed block.</summary>
    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(PrefixLength + LZ4Codec.MaximumOutputSize(input.Length));
        var length = Lz4Block.Compress(input, span[PrefixLength..]);
        BinaryPrimitives.WriteInt32BigEndian(span, input.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], length);
        output.Advance(PrefixLength + length);
    }

    /// <summary>Decompresses into exactly <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">Neither framed nor bare LZ4 data fills the output.</exception>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!TryDecompressFramed(input, output))
        {
            Lz4Block.Decompress(input, output);
        }
    }

    private static bool TryDecompressFramed(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        while (input.Length > 0)
        {
            if (input.Length < PrefixLength)
            {
                return false;
            }

            var uncompressed = BinaryPrimitives.ReadInt32BigEndian(input);
            var compressed = BinaryPrimitives.ReadInt32BigEndian(input[4..]);
            if (uncompressed < 0 || compressed < 0 || compressed > input.Length - PrefixLength || uncompressed > output.Length - written)
            {
                return false;
            }

            var decoded = LZ4Codec.Decode(input.Slice(PrefixLength, compressed), output.Slice(written, uncompressed));
            if (decoded != uncompressed)
            {
                return false;
            }

            written += uncompressed;
            input = input[(PrefixLength + compressed)..];
        }

        return written == output.Length;
    }
}
