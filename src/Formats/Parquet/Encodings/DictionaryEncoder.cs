using System.Buffers.Binary;
using Streams.Formats.Parquet.Columns;
using Streams.Formats.Parquet.Metadata;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>The distinct values of a column chunk and each value's index into them.</summary>
internal sealed record DictionaryEncoding(ColumnBuffer Values, int[] Indices);

/// <summary>
/// Builds the dictionary of a column chunk. Gives up (the chunk is then written PLAIN) as soon as the
/// PLAIN-encoded dictionary would pass the size limit, which bounds the cost on high-cardinality columns.
/// </summary>
internal static class DictionaryEncoder
{
    public static DictionaryEncoding? TryBuild(ColumnBuffer column, int maxDictionaryBytes)
    {
        var count = column.ValueCount;
        if (count == 0 || column.Type == PhysicalType.Boolean)
        {
            return null;
        }

        var indices = new int[count];
        var values = new ColumnBuffer(column.Type, column.TypeLength, 0, 0);
        switch (column.Type)
        {
            case PhysicalType.Int32:
                return BuildFixed(column.Int32s.AsSpan(0, count), indices, values, 4, maxDictionaryBytes, static (b, v) => b.AddInt32(v));
            case PhysicalType.Int64:
                return BuildFixed(column.Int64s.AsSpan(0, count), indices, values, 8, maxDictionaryBytes, static (b, v) => b.AddInt64(v));
            case PhysicalType.Float:
                return BuildFixed(System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(column.Floats.AsSpan(0, count)), indices, values, 4,
                    maxDictionaryBytes, static (b, v) => b.AddFloat(BitConverter.Int32BitsToSingle(v)));
            case PhysicalType.Double:
                return BuildFixed(System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(column.Doubles.AsSpan(0, count)), indices, values, 8,
                    maxDictionaryBytes, static (b, v) => b.AddDouble(BitConverter.Int64BitsToDouble(v)));
            default:
                return BuildBytes(column, indices, values, maxDictionaryBytes);
        }
    }

    private static DictionaryEncoding? BuildFixed<T>(ReadOnlySpan<T> source, int[] indices, ColumnBuffer values, int width,
        int maxBytes, Action<ColumnBuffer, T> add) where T : notnull
    {
        var map = new Dictionary<T, int>();
        var maxEntries = maxBytes / width;
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            if (!map.TryGetValue(value, out var index))
            {
                if (map.Count >= maxEntries || NotWorthIt(map.Count, i))
                {
                    return null;
                }

                index = map.Count;
                map.Add(value, index);
                add(values, value);
            }

            indices[i] = index;
        }

        return new DictionaryEncoding(values, indices);
    }

    private static DictionaryEncoding? BuildBytes(ColumnBuffer column, int[] indices, ColumnBuffer values, int maxBytes)
    {
        // Open addressing over byte spans: slots hold dictionary index + 1.
        var slots = new int[1024];
        var hashes = new int[256];
        var size = 0L;
        var prefix = column.Type == PhysicalType.ByteArray ? 4 : 0;
        for (var i = 0; i < column.ValueCount; i++)
        {
            var value = column.GetBytes(i);
            var hash = Hash(value);
            var mask = slots.Length - 1;
            var slot = hash & mask;
            int index;
            while (true)
            {
                var entry = slots[slot];
                if (entry == 0)
                {
                    size += value.Length + prefix;
                    if (size > maxBytes || NotWorthIt(values.ValueCount, i))
                    {
                        return null;
                    }

                    index = values.ValueCount;
                    values.AddBytes(value);
                    if (index == hashes.Length)
                    {
                        Array.Resize(ref hashes, hashes.Length * 2);
                    }

                    hashes[index] = hash;
                    slots[slot] = index + 1;
                    if (values.ValueCount * 2 > slots.Length)
                    {
                        slots = Rehash(hashes, values.ValueCount, slots.Length * 2);
                    }

                    break;
                }

                if (hashes[entry - 1] == hash && values.GetBytes(entry - 1).SequenceEqual(value))
                {
                    index = entry - 1;
                    break;
                }

                slot = (slot + 1) & mask;
            }

            indices[i] = index;
        }

        return new DictionaryEncoding(values, indices);
    }

    /// <summary>
    /// Gives up on a dictionary that is not paying off: past 65536 values, more than three in four of them
    /// distinct. This avoids hashing most of a high-cardinality chunk before the size limit would stop it.
    /// </summary>
    private static bool NotWorthIt(int distinct, int seen) => seen >= 65536 && distinct * 4L > seen * 3L;

    private static int[] Rehash(int[] hashes, int count, int capacity)
    {
        var slots = new int[capacity];
        var mask = capacity - 1;
        for (var i = 0; i < count; i++)
        {
            var slot = hashes[i] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = i + 1;
        }

        return slots;
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        // 64-bit multiply-xorshift over 8-byte words; the dictionary only needs a good spread, not security.
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)value.Length;
        var i = 0;
        for (; i + 8 <= value.Length; i += 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(value[i..])) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 32;
        }

        ulong tail = 0;
        for (var k = 0; i < value.Length; i++, k += 8)
        {
            tail |= (ulong)value[i] << k;
        }

        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 29;
        return (int)h & int.MaxValue;
    }
}
