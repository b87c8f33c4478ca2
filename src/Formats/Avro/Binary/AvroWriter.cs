using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Writes Avro binary primitives (Avro 1.11 specification, "Binary Encoding") into an
/// <see cref="IBufferWriter{T}"/>. It holds on to the span it was last given and advances the output
/// only when that span is full or on <see cref="Flush"/>, so small writes cost no interface calls.
/// </summary>
/// <remarks>Call <see cref="Flush"/> when done: bytes written since the last flush are not yet committed.</remarks>
public ref struct AvroWriter
{
    private const int MinimumRequest = 512;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public AvroWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Bytes written but not yet committed to the output.</summary>
    public readonly int Buffered => _buffered;

    /// <summary>Commits the written bytes to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = default;
    }

    /// <summary>Writes a zig-zag variable-length <c>long</c> (at most 10 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteLong(long value)
    {
        var span = Reserve(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (n >= 0x80)
        {
            span[i++] = (byte)(n | 0x80);
            n >>= 7;
        }

        span[i++] = (byte)n;
        _buffered += i;
    }

    /// <summary>Writes a zig-zag variable-length <c>int</c> (at most 5 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBoolean(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        _buffered++;
    }

    /// <summary>Writes a little-endian IEEE 754 single.</summary>
    public void WriteFloat(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _buffered += 4;
    }

    /// <summary>Writes a little-endian IEEE 754 double.</summary>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
        _buffered += 8;
    }

    /// <summary>Writes length-prefixed bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    /// <summary>Writes a length-prefixed UTF-8 string.</summary>
    public void WriteString(string value)
    {
        // Short strings (most keys, codes, names) take one pass: at most 3 UTF-8 bytes per UTF-16 char keeps the
        // length under 64, whose zig-zag varint is a single byte, so the length can be written after the text.
        if (value.Length <= 21)
        {
            var span = Reserve(64);
            var count = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)(count << 1);
            _buffered += count + 1;
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        if (length <= 4096)
        {
            var written = Encoding.UTF8.GetBytes(value, Reserve(length));
            _buffered += written;
            return;
        }

        // Large strings go through a pooled buffer so that the output is never asked for one huge span.
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(value, rented);
            WriteFixed(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes raw bytes without a length (an Avro fixed, or pre-encoded data).</summary>
    public void WriteFixed(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            var span = Reserve(Math.Min(value.Length, MinimumRequest));
            var chunk = Math.Min(span.Length, value.Length);
            value[..chunk].CopyTo(span);
            _buffered += chunk;
            value = value[chunk..];
        }
    }

    /// <summary>A span of at least <paramref name="size"/> free bytes at the write position; advance with <see cref="Advance"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        return _span[_buffered..];
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last <see cref="Reserve"/>d span as written.</summary>
    public void Advance(int count) => _buffered += count;

    private void Grow(int size)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = _output.GetSpan(Math.Max(size, MinimumRequest));
        if (_span.Length < size)
        {
            throw new InvalidOperationException($"The output returned a span of {_span.Length} bytes; {size} were requested.");
        }
    }
}
