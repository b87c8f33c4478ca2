using System.Buffers;

namespace Streams.Formats;

/// <summary>
/// A growable byte buffer on pooled arrays that can also be truncated, so a codec can undo a value that
/// failed half-way through encoding. Not thread-safe; <see cref="Dispose"/> returns the array to the pool.
/// </summary>
public sealed class ByteBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    /// <summary>Creates a buffer with at least <paramref name="initialCapacity"/> bytes of room.</summary>
    public ByteBuffer(int initialCapacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>The number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>The bytes written.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    /// <summary>Forgets everything written, keeping the storage.</summary>
    public void Clear() => _length = 0;

    /// <summary>Forgets the bytes after the first <paramref name="length"/>.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _length);
        _length += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = (long)_length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new OutOfMemoryException($"A buffer of {needed} bytes exceeds the largest array.");
        }

        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_array.Length * 2), Array.MaxLength));
        _array.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_array);
        _array = grown;
    }
}
