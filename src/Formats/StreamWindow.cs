namespace Streams.Formats;

/// <summary>
/// A sliding window over a stream for parsers of block-structured files: fill at least N bytes, parse
/// them from a span, consume what was parsed. Tracks the file offset of the window for error messages.
/// </summary>
internal sealed class StreamWindow(Stream stream, int initialCapacity = 64 * 1024)
{
    private byte[] _buffer = new byte[initialCapacity];
    private int _start;
    private int _end;
    private long _offset;

    /// <summary>The bytes read but not consumed.</summary>
    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>The bytes read but not consumed.</summary>
    public ReadOnlyMemory<byte> AvailableMemory => _buffer.AsMemory(_start, _end - _start);

    /// <summary>The file offset of the first available byte.</summary>
    public long Offset => _offset;

    /// <summary>True once the stream has reported its end.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Reads until at least <paramref name="count"/> bytes are available or the stream ends; true if they are.</summary>
    public async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count && !EndOfStream)
        {
            if (_end == _buffer.Length)
            {
                // Move the unconsumed bytes to the front; grow by doubling (not straight to count) so that a
                // corrupt length in a short file costs memory in proportion to the data actually there.
                var target = _start > 0 && _buffer.Length >= Math.Min(count, _buffer.Length * 2)
                    ? _buffer
                    : new byte[(int)Math.Min(Math.Max(Math.Min(count, (long)_buffer.Length * 2), _end - _start + 1), Array.MaxLength)];
                Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
                _end -= _start;
                _start = 0;
                _buffer = target;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                EndOfStream = true;
            }

            _end += read;
        }

        return _end - _start >= count;
    }

    /// <summary>Marks <paramref name="count"/> available bytes as parsed.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _end - _start);
        _start += count;
        _offset += count;
    }
}
