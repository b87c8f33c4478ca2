using System.Buffers.Binary;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>
/// Decompression of the LZ4 block format (Parquet's LZ4_RAW): sequences of a token (literal length, match
/// length), literals, a 2-byte little-endian back offset and a match copied from the output so far.
/// </summary>
internal static class Lz4Raw
{
    /// <summary>Decompresses <paramref name="input"/> into exactly <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The data is malformed or does not fill the output exactly.</exception>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var i = 0;
        var o = 0;
        while (i < input.Length)
        {
            var token = input[i++];
            var literals = ReadLength(input, ref i, token >> 4);
            if (literals > input.Length - i || literals > output.Length - o)
            {
                throw new InvalidDataException("LZ4 literals run past the end of the block.");
            }

            input.Slice(i, literals).CopyTo(output[o..]);
            i += literals;
            o += literals;
            if (i == input.Length)
            {
                break; // the last sequence has no match
            }

            if (i + 2 > input.Length)
            {
                throw new InvalidDataException("LZ4 match offset is truncated.");
            }

            var offset = BinaryPrimitives.ReadUInt16LittleEndian(input[i..]);
            i += 2;
            var length = ReadLength(input, ref i, token & 0x0F) + 4;
            if (offset == 0 || offset > o || length > output.Length - o)
            {
                throw new InvalidDataException($"LZ4 match (offset {offset}, length {length}) is outside the output.");
            }

            // Matches may overlap the bytes they produce, so copy forward one byte at a time when they do.
            if (offset >= length)
            {
                output.Slice(o - offset, length).CopyTo(output[o..]);
                o += length;
            }
            else
            {
                for (var k = 0; k < length; k++, o++)
                {
                    output[o] = output[o - offset];
                }
            }
        }

        if (o != output.Length)
        {
            throw new InvalidDataException($"LZ4 block decompressed to {o} bytes; {output.Length} were expected.");
        }
    }

    private static int ReadLength(ReadOnlySpan<byte> input, ref int i, int nibble)
    {
        var length = nibble;
        if (nibble == 15)
        {
            byte b;
            do
            {
                if (i >= input.Length)
                {
                    throw new InvalidDataException("LZ4 length is truncated.");
                }

                b = input[i++];
                length += b;
                if (length < 0)
                {
                    throw new InvalidDataException("LZ4 length overflows.");
                }
            }
            while (b == 255);
        }

        return length;
    }
}
