using System.Buffers.Binary;
using System.Numerics;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>Little-endian bit packing (least significant bit first), as used by the RLE hybrid and delta encodings.</summary>
internal static class BitPacking
{
    /// <summary>The bytes <paramref name="count"/> values of <paramref name="bitWidth"/> bits take.</summary>
    public static int ByteCount(int count, int bitWidth) => (int)(((long)count * bitWidth + 7) / 8);

    /// <summary>Packs values (each below 2^bitWidth) into <paramref name="output"/>.</summary>
    public static void Pack<T>(ReadOnlySpan<T> values, int bitWidth, Span<byte> output) where T : IBinaryInteger<T>
    {
        ulong buffer = 0;
        var bits = 0;
        var o = 0;
        foreach (var value in values)
        {
            buffer |= ulong.CreateTruncating(value) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                output[o++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            output[o] = (byte)buffer;
        }
    }

    /// <summary>Unpacks <paramref name="output"/>.Length values of up to 32 bits from <paramref name="input"/>.</summary>
    public static void Unpack<T>(ReadOnlySpan<byte> input, int bitWidth, Span<T> output) where T : IBinaryInteger<T>
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }

        var mask = bitWidth >= 64 ? ulong.MaxValue : (1UL << bitWidth) - 1;
        if (bitWidth > 56)
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = T.CreateTruncating(ReadWide(input, (long)i * bitWidth, bitWidth));
            }

            return;
        }

        ulong buffer = 0;
        var bits = 0;
        var p = 0;
        var n = output.Length;
        var i2 = 0;
        // Fast path: refill 7 bytes at a time while the input has 8 left to read.
        while (i2 < n)
        {
            if (bits < bitWidth)
            {
                if (p + 8 <= input.Length)
                {
                    var take = (63 - bits) >> 3;
                    buffer |= (BinaryPrimitives.ReadUInt64LittleEndian(input[p..]) & ((1UL << (take * 8)) - 1)) << bits;
                    p += take;
                    bits += take * 8;
                }
                else
                {
                    while (bits < bitWidth)
                    {
                        buffer |= (ulong)(p < input.Length ? input[p] : 0) << bits;
                        p++;
                        bits += 8;
                    }
                }
            }

            output[i2++] = T.CreateTruncating(buffer & mask);
            buffer >>= bitWidth;
            bits -= bitWidth;
        }
    }

    private static ulong ReadWide(ReadOnlySpan<byte> input, long bitOffset, int bitWidth)
    {
        UInt128 window = 0;
        var start = (int)(bitOffset >> 3);
        for (var k = 0; k < 9 && start + k < input.Length; k++)
        {
            window |= (UInt128)input[start + k] << (8 * k);
        }

        var shifted = window >> (int)(bitOffset & 7);
        return bitWidth >= 64 ? (ulong)shifted : (ulong)shifted & ((1UL << bitWidth) - 1);
    }
}
