namespace Streams.Formats.Parquet.Encodings;

/// <summary>
/// DELTA_BINARY_PACKED decoding (Encodings.md): a header (block size, miniblocks per block, value count,
/// first value), then blocks of a zigzag minimum delta, one bit width per miniblock, and the bit-packed
/// deltas above the minimum. Arithmetic wraps, so INT32 columns decode through 64 bits and truncate.
/// </summary>
internal static class DeltaBinaryPacked
{
    /// <summary>Decodes up to <paramref name="output"/>.Length values; returns the bytes consumed, sets the total the header announces.</summary>
    public static int Decode(ReadOnlySpan<byte> input, Span<long> output, out int totalCount)
    {
        var p = 0;
        var blockSize = (int)ReadUVarint(input, ref p);
        var miniblocks = (int)ReadUVarint(input, ref p);
        totalCount = checked((int)ReadUVarint(input, ref p));
        var value = ReadZigZag(input, ref p);
        if (miniblocks <= 0 || blockSize <= 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 8 != 0)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED header is invalid: block size {blockSize}, {miniblocks} miniblocks.");
        }

        if (totalCount > output.Length)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED holds {totalCount} values where {output.Length} were expected.");
        }

        var perMiniblock = blockSize / miniblocks;
        var deltas = new long[perMiniblock];
        if (totalCount == 0)
        {
            return p;
        }

        output[0] = value;
        var produced = 1;
        while (produced < totalCount)
        {
            var minDelta = ReadZigZag(input, ref p);
            if (p + miniblocks > input.Length)
            {
                throw new InvalidDataException("DELTA_BINARY_PACKED block header is truncated.");
            }

            var widths = input.Slice(p, miniblocks);
            p += miniblocks;
            for (var m = 0; m < miniblocks && produced < totalCount; m++)
            {
                var width = widths[m];
                if (width > 64)
                {
                    throw new InvalidDataException($"DELTA_BINARY_PACKED miniblock bit width {width} exceeds 64.");
                }

                var bytes = BitPacking.ByteCount(perMiniblock, width);
                if (p + bytes > input.Length)
                {
                    // The last miniblock may be cut short by writers that do not pad; use what is there.
                    var needed = BitPacking.ByteCount(totalCount - produced, width);
                    if (p + needed > input.Length)
                    {
                        throw new InvalidDataException("DELTA_BINARY_PACKED miniblock is truncated.");
                    }

                    bytes = input.Length - p;
                }

                BitPacking.Unpack(input.Slice(p, bytes), width, deltas.AsSpan());
                p += bytes;
                var take = Math.Min(perMiniblock, totalCount - produced);
                for (var k = 0; k < take; k++)
                {
                    value = unchecked(value + minDelta + deltas[k]);
                    output[produced++] = value;
                }
            }
        }

        return p;
    }

    private static ulong ReadUVarint(ReadOnlySpan<byte> input, ref int p)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (p >= input.Length)
            {
                throw new InvalidDataException("DELTA_BINARY_PACKED data ends inside a varint.");
            }

            var b = input[p++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("DELTA_BINARY_PACKED varint is too long.");
    }

    private static long ReadZigZag(ReadOnlySpan<byte> input, ref int p)
    {
        var v = ReadUVarint(input, ref p);
        return (long)(v >> 1) ^ -(long)(v & 1);
    }
}
