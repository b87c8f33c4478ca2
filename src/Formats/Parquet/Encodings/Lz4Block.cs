using K4os.Compression.LZ4;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>The bare LZ4 block format (Parquet's LZ4_RAW) through K4os.Compression.LZ4.</summary>
internal static class Lz4Block
{
    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/> (at least <c>LZ4Codec.MaximumOutputSize</c> long); returns the length.</summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var length = LZ4Codec.Encode(input, output, LZ4Level.L00_FAST);
        return length >= 0 ? length : throw new InvalidOperationException($"LZ4 compression of {input.Length} bytes failed.");
    }

    /// <summary>Decompresses into exactly <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The block is malformed or does not fill the output.</exception>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var length = LZ4Codec.Decode(input, output);
        if (length != output.Length)
        {
            throw new InvalidDataException(length < 0
                ? "Corrupt LZ4 block."
                : $"The LZ4 block decompressed to {length} bytes; {output.Length} were expected.");
        }
    }
}
