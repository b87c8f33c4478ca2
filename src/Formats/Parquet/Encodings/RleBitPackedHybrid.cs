using System.Buffers;
using System.Numerics;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>
/// The RLE / bit-packing hybrid (Encodings.md) used for levels, booleans and dictionary indexes:
/// runs of one repeated value (header <c>count &lt;&lt; 1</c>) and groups of 8 bit-packed values
/// (header <c>groups &lt;&lt; 1 | 1</c>).
/// </summary>
internal static class RleBitPackedHybrid
{
    /// <summary>The bit width needed for values up to <paramref name="maxValue"/>.</summary>
    public static int BitWidth(int maxValue) => maxValue == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)maxValue);

    /// <summary>Encodes <paramref name="values"/> (each below 2^bitWidth).</summary>
    public static void Encode<T>(ReadOnlySpan<T> values, int bitWidth, IBufferWriter<byte> output) where T : IBinaryInteger<T>
    {
        var packedStart = 0;
        var packedCount = 0;
        var i = 0;
        while (i < values.Length)
        {
            var j = i + 1;
            while (j < values.Length && values[j] == values[i])
            {
                j++;
            }

            var run = j - i;
            if (run >= 8)
            {
                // Complete the pending bit-packed section to a multiple of 8 with values of the run.
                var fill = packedCount % 8 == 0 ? 0 : 8 - packedCount % 8;
                if (run - fill < 8)
                {
                    packedCount += run;
                    i = j;
                    continue;
                }

                packedCount += fill;
                i += fill;
                if (packedCount > 0)
                {
                    WritePacked(values.Slice(packedStart, packedCount), bitWidth, output);
                }

                WriteRun(ulong.CreateTruncating(values[i]), j - i, bitWidth, output);
                packedStart = j;
                packedCount = 0;
                i = j;
            }
            else
            {
                packedCount += run;
                i = j;
            }
        }

        if (packedCount > 0)
        {
            WritePacked(values.Slice(packedStart, packedCount), bitWidth, output);
        }
    }

    private static void WriteRun(ulong value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        WriteVarint((uint)count << 1, output);
        var width = (bitWidth + 7) / 8;
        var span = output.GetSpan(width);
        for (var k = 0; k < width; k++)
        {
            span[k] = (byte)(value >> (8 * k));
        }

        output.Advance(width);
    }

    private static void WritePacked<T>(ReadOnlySpan<T> values, int bitWidth, IBufferWriter<byte> output) where T : IBinaryInteger<T>
    {
        var groups = (values.Length + 7) / 8;
        WriteVarint(((uint)groups << 1) | 1, output);
        var length = groups * bitWidth;
        var span = output.GetSpan(length)[..length];
        span.Clear();
        BitPacking.Pack(values, bitWidth, span);
        output.Advance(length);
    }

    private static void WriteVarint(uint value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(5);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    /// <summary>Decodes exactly <paramref name="output"/>.Length values; returns the bytes consumed.</summary>
    /// <exception cref="InvalidDataException">The data ends before enough values were decoded.</exception>
    public static int Decode<T>(ReadOnlySpan<byte> input, int bitWidth, Span<T> output) where T : IBinaryInteger<T>
    {
        var p = 0;
        var o = 0;
        var width = (bitWidth + 7) / 8;
        while (o < output.Length)
        {
            if (p >= input.Length)
            {
                throw new InvalidDataException($"RLE data ends after {o} of {output.Length} values.");
            }

            uint header = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (p >= input.Length || shift > 28)
                {
                    throw new InvalidDataException("Malformed RLE run header.");
                }

                var b = input[p++];
                header |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            if ((header & 1) == 0)
            {
                var count = (int)Math.Min(header >> 1, (uint)(output.Length - o));
                if (p + width > input.Length)
                {
                    throw new InvalidDataException("RLE run value is truncated.");
                }

                ulong value = 0;
                for (var k = 0; k < width; k++)
                {
                    value |= (ulong)input[p + k] << (8 * k);
                }

                p += width;
                if (header >> 1 == 0)
                {
                    throw new InvalidDataException("RLE run of length zero.");
                }

                output.Slice(o, count).Fill(T.CreateTruncating(value));
                o += count;
            }
            else
            {
                var values = (long)(header >> 1) * 8;
                var bytes = (int)Math.Min((long)(header >> 1) * bitWidth, input.Length - p);
                var count = (int)Math.Min(values, output.Length - o);
                if (BitPacking.ByteCount(count, bitWidth) > input.Length - p)
                {
                    throw new InvalidDataException("Bit-packed run is truncated.");
                }

                BitPacking.Unpack(input.Slice(p, bytes), bitWidth, output.Slice(o, count));
                p += bytes;
                o += count;
            }
        }

        return p;
    }
}
