using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Streams.Formats.Parquet.Columns;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>PLAIN encoding: little-endian fixed-width values, bit-packed booleans, length-prefixed byte arrays.</summary>
internal static class PlainEncoding
{
    /// <summary>Encodes values <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/> of <paramref name="column"/>.</summary>
    public static void Encode(ColumnBuffer column, int start, int count, IBufferWriter<byte> output)
    {
        switch (column.Type)
        {
            case PhysicalType.Boolean:
            {
                var length = (count + 7) / 8;
                var span = output.GetSpan(length)[..length];
                span.Clear();
                var values = column.Booleans.AsSpan(start, count);
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i])
                    {
                        span[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                output.Advance(length);
                return;
            }
            case PhysicalType.Int32:
                output.Write(MemoryMarshal.AsBytes(column.Int32s.AsSpan(start, count)));
                return;
            case PhysicalType.Int64:
                output.Write(MemoryMarshal.AsBytes(column.Int64s.AsSpan(start, count)));
                return;
            case PhysicalType.Float:
                output.Write(MemoryMarshal.AsBytes(column.Floats.AsSpan(start, count)));
                return;
            case PhysicalType.Double:
                output.Write(MemoryMarshal.AsBytes(column.Doubles.AsSpan(start, count)));
                return;
            case PhysicalType.ByteArray:
            {
                var offsets = column.Offsets;
                var total = offsets[start + count] - offsets[start] + 4 * count;
                var span = output.GetSpan(total);
                var o = 0;
                for (var i = start; i < start + count; i++)
                {
                    var length = offsets[i + 1] - offsets[i];
                    BinaryPrimitives.WriteInt32LittleEndian(span[o..], length);
                    column.Bytes.AsSpan(offsets[i], length).CopyTo(span[(o + 4)..]);
                    o += 4 + length;
                }

                output.Advance(total);
                return;
            }
            default:
                output.Write(column.Bytes.AsSpan(start * column.TypeLength, count * column.TypeLength));
                return;
        }
    }

    /// <summary>Decodes <paramref name="count"/> values onto <paramref name="column"/>; returns the bytes consumed.</summary>
    public static int Decode(ReadOnlySpan<byte> input, int count, ColumnBuffer column)
    {
        switch (column.Type)
        {
            case PhysicalType.Boolean:
            {
                var length = (count + 7) / 8;
                Require(input, length, count, column);
                var values = column.ReserveValues<bool>(count);
                for (var i = 0; i < count; i++)
                {
                    values[i] = (input[i >> 3] & (1 << (i & 7))) != 0;
                }

                column.CommitValues(count);
                return length;
            }
            case PhysicalType.Int32:
                return DecodeFixed<int>(input, count, column);
            case PhysicalType.Int64:
                return DecodeFixed<long>(input, count, column);
            case PhysicalType.Float:
                return DecodeFixed<float>(input, count, column);
            case PhysicalType.Double:
                return DecodeFixed<double>(input, count, column);
            case PhysicalType.ByteArray:
            {
                column.EnsureByteCapacity(Math.Max(0, input.Length - 4 * count), count);
                var p = 0;
                for (var i = 0; i < count; i++)
                {
                    if (p + 4 > input.Length)
                    {
                        throw new InvalidDataException($"PLAIN byte array {i} of {count}: length prefix beyond the page end.");
                    }

                    var length = BinaryPrimitives.ReadInt32LittleEndian(input[p..]);
                    if (length < 0 || length > input.Length - p - 4)
                    {
                        throw new InvalidDataException($"PLAIN byte array {i} of {count}: length {length} exceeds the page.");
                    }

                    column.AddBytes(input.Slice(p + 4, length));
                    p += 4 + length;
                }

                return p;
            }
            default:
            {
                var width = column.TypeLength;
                var length = width * count;
                Require(input, length, count, column);
                column.EnsureByteCapacity(length, count);
                for (var i = 0; i < count; i++)
                {
                    column.AddBytes(input.Slice(i * width, width));
                }

                return length;
            }
        }
    }

    private static int DecodeFixed<T>(ReadOnlySpan<byte> input, int count, ColumnBuffer column) where T : unmanaged
    {
        var length = count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        Require(input, length, count, column);
        MemoryMarshal.Cast<byte, T>(input[..length]).CopyTo(column.ReserveValues<T>(count));
        column.CommitValues(count);
        return length;
    }

    private static void Require(ReadOnlySpan<byte> input, int length, int count, ColumnBuffer column)
    {
        if (input.Length < length)
        {
            throw new InvalidDataException($"PLAIN {column.Type} page holds {input.Length} bytes but {count} values need {length}.");
        }
    }
}
