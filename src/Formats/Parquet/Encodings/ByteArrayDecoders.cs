using Streams.Formats.Parquet.Columns;

namespace Streams.Formats.Parquet.Encodings;

/// <summary>DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (incremental/front coding) decoding.</summary>
internal static class ByteArrayDecoders
{
    /// <summary>Lengths (DELTA_BINARY_PACKED) then the concatenated bytes; returns the bytes consumed.</summary>
    public static int DecodeDeltaLength(ReadOnlySpan<byte> input, int count, ColumnBuffer column)
    {
        var lengths = new long[count];
        var p = DeltaBinaryPacked.Decode(input, lengths, out var decoded);
        if (decoded != count)
        {
            throw new InvalidDataException($"DELTA_LENGTH_BYTE_ARRAY holds {decoded} lengths where {count} were expected.");
        }

        column.EnsureByteCapacity(input.Length - p, count);
        for (var i = 0; i < count; i++)
        {
            var length = lengths[i];
            if (length < 0 || length > input.Length - p)
            {
                throw new InvalidDataException($"DELTA_LENGTH_BYTE_ARRAY value {i} of length {length} exceeds the page.");
            }

            column.AddBytes(input.Slice(p, (int)length));
            p += (int)length;
        }

        return p;
    }

    /// <summary>Prefix lengths (DELTA_BINARY_PACKED), then suffixes (DELTA_LENGTH_BYTE_ARRAY).</summary>
    public static int DecodeDeltaByteArray(ReadOnlySpan<byte> input, int count, ColumnBuffer column)
    {
        var prefixes = new long[count];
        var p = DeltaBinaryPacked.Decode(input, prefixes, out var decoded);
        if (decoded != count)
        {
            throw new InvalidDataException($"DELTA_BYTE_ARRAY holds {decoded} prefix lengths where {count} were expected.");
        }

        var suffixes = new ColumnBuffer(Metadata.PhysicalType.ByteArray, 0, 0, 0);
        p += DecodeDeltaLength(input[p..], count, suffixes);
        var previous = Array.Empty<byte>();
        for (var i = 0; i < count; i++)
        {
            var prefix = prefixes[i];
            if (prefix < 0 || prefix > previous.Length)
            {
                throw new InvalidDataException($"DELTA_BYTE_ARRAY value {i} has prefix {prefix} longer than the previous value.");
            }

            var suffix = suffixes.GetBytes(i);
            var value = new byte[prefix + suffix.Length];
            previous.AsSpan(0, (int)prefix).CopyTo(value);
            suffix.CopyTo(value.AsSpan((int)prefix));
            if (column.Type == Metadata.PhysicalType.FixedLenByteArray && value.Length != column.TypeLength)
            {
                throw new InvalidDataException($"DELTA_BYTE_ARRAY value {i} has {value.Length} bytes in a column of {column.TypeLength}.");
            }

            column.AddBytes(value);
            previous = value;
        }

        return p;
    }

    /// <summary>BYTE_STREAM_SPLIT: byte k of every value in stream k.</summary>
    public static int DecodeByteStreamSplit(ReadOnlySpan<byte> input, int count, ColumnBuffer column)
    {
        var width = column.Type switch
        {
            Metadata.PhysicalType.Int32 or Metadata.PhysicalType.Float => 4,
            Metadata.PhysicalType.Int64 or Metadata.PhysicalType.Double => 8,
            Metadata.PhysicalType.FixedLenByteArray => column.TypeLength,
            _ => throw new InvalidDataException($"BYTE_STREAM_SPLIT does not apply to {column.Type}."),
        };
        var length = width * count;
        if (input.Length < length)
        {
            throw new InvalidDataException($"BYTE_STREAM_SPLIT page holds {input.Length} bytes but {count} values need {length}.");
        }

        var joined = new byte[length];
        for (var k = 0; k < width; k++)
        {
            var stream = input.Slice(k * count, count);
            for (var i = 0; i < count; i++)
            {
                joined[i * width + k] = stream[i];
            }
        }

        PlainEncoding.Decode(joined, count, column);
        return length;
    }
}
