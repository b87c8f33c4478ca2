using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Reads Avro binary primitives (Avro 1.11 specification, "Binary Encoding") from a span. Every read checks
/// bounds and reports truncated or malformed input as an <see cref="AvroDataException"/> carrying the offset.
/// </summary>
/// <remarks>A ref struct so the compiled plans pass it by reference without copying or allocating.</remarks>
public ref struct AvroReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>; <paramref name="baseOffset"/> is added to offsets in errors.</summary>
    public AvroReader(ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>The number of bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>The absolute offset of the next byte (base offset plus position).</summary>
    public readonly long Offset => _baseOffset + _position;

    /// <summary>The number of bytes not yet consumed.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool IsAtEnd => _position >= _data.Length;

    /// <summary>Reads a zig-zag variable-length <c>long</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong()
    {
        // The one-byte case (values -64..63) dominates real data: counts, indexes, small numbers.
        var pos = _position;
        if ((uint)pos < (uint)_data.Length)
        {
            var first = _data[pos];
            if (first < 0x80)
            {
                _position = pos + 1;
                return (first >> 1) ^ -(long)(first & 1);
            }
        }

        return ReadLongSlow();
    }

    private long ReadLongSlow()
    {
        var start = _position;
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Truncated("a variable-length integer", start);
            }

            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw new AvroDataException(
                    $"Malformed variable-length integer at offset {_baseOffset + start}: more than 64 bits.", _baseOffset + start);
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (long)(result >> 1) ^ -(long)(result & 1);
            }

            shift += 7;
        }
    }

    /// <summary>Reads a zig-zag variable-length <c>int</c>; a value outside 32 bits is malformed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt()
    {
        var start = _position;
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw IntOutOfRange(value, start);
    }

    /// <summary>Reads a boolean: one byte, 0 or 1.</summary>
    public bool ReadBoolean()
    {
        var b = ReadByte("a boolean");
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new AvroDataException($"Malformed boolean at offset {Offset - 1}: byte {b}, expected 0 or 1.", Offset - 1),
        };
    }

    /// <summary>Reads a little-endian IEEE 754 single.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a float"));

    /// <summary>Reads a little-endian IEEE 754 double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "a double"));

    /// <summary>Reads length-prefixed bytes into a new array.</summary>
    public byte[] ReadBytes() => ReadBytesSpan().ToArray();

    /// <summary>Reads length-prefixed bytes without copying; the span aliases the input.</summary>
    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        var start = _position;
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroDataException($"Malformed bytes at offset {_baseOffset + start}: negative length {length}.",
                _baseOffset + start);
        }

        if (length > Remaining)
        {
            throw new AvroDataException(
                $"Truncated data at offset {_baseOffset + start}: a length of {length} bytes but only {Remaining} remain.",
                _baseOffset + start) { IsTruncation = true };
        }

        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    /// <summary>Reads a length-prefixed UTF-8 string; invalid UTF-8 is malformed.</summary>
    public string ReadString()
    {
        var start = _position;
        var bytes = ReadBytesSpan();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AvroDataException($"Malformed string at offset {_baseOffset + start}: invalid UTF-8.", _baseOffset + start, e);
        }
    }

    /// <summary>Reads <paramref name="size"/> raw bytes (an Avro fixed) without copying.</summary>
    public ReadOnlySpan<byte> ReadFixed(int size) => Take(size, $"a fixed of {size} bytes");

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(long count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new AvroDataException(
                $"Truncated data at offset {Offset}: cannot skip {count} bytes, {Remaining} remain.", Offset) { IsTruncation = count > 0 };
        }

        _position += (int)count;
    }

    /// <summary>Skips a variable-length integer without decoding it.</summary>
    public void SkipLong() => ReadLong();

    /// <summary>Skips length-prefixed bytes or a string.</summary>
    public void SkipBytes() => ReadBytesSpan();

    /// <summary>
    /// Reads the item count of an array or map block. A negative count is followed by the block's size in
    /// bytes (which lets readers skip); the size is returned through <paramref name="byteSize"/>, else -1.
    /// </summary>
    public long ReadBlockCount(out long byteSize)
    {
        var start = _position;
        var count = ReadLong();
        byteSize = -1;
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroDataException($"Malformed block count at offset {_baseOffset + start}.", _baseOffset + start);
            }

            count = -count;
            var sizeStart = _position;
            byteSize = ReadLong();
            if (byteSize < 0)
            {
                throw new AvroDataException(
                    $"Malformed block size at offset {_baseOffset + sizeStart}: negative size {byteSize}.", _baseOffset + sizeStart);
            }
        }

        return count;
    }

    /// <summary>An error for data that ends while reading <paramref name="what"/>, which started at <paramref name="start"/>.</summary>
    internal readonly AvroDataException Truncated(string what, int start) =>
        new($"Truncated data at offset {_baseOffset + start}: the input ends while reading {what}.", _baseOffset + start)
        {
            IsTruncation = true,
        };

    /// <summary>An error about the value that started at <paramref name="position"/>.</summary>
    internal readonly AvroDataException Malformed(string message, int position) =>
        new($"{message} (at offset {_baseOffset + position}).", _baseOffset + position);

    private byte ReadByte(string what)
    {
        if (_position >= _data.Length)
        {
            throw Truncated(what, _position);
        }

        return _data[_position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int size, string what)
    {
        if ((uint)size > (uint)(_data.Length - _position))
        {
            throw Truncated(what, _position);
        }

        var span = _data.Slice(_position, size);
        _position += size;
        return span;
    }

    private readonly AvroDataException IntOutOfRange(long value, int start) =>
        new($"Malformed int at offset {_baseOffset + start}: {value} does not fit in 32 bits.", _baseOffset + start);
}
