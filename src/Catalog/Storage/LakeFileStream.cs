namespace Streams.Catalog.Storage;

/// <summary>
/// A read-only, seekable stream over one lake file that reads the ranges asked for (S3 ranged GETs), so that
/// formats with a footer (Parquet) can be opened without downloading the whole file.
/// </summary>
public sealed class LakeFileStream(ILakeStorage storage, LakeObject file) : Stream
{
    private long _position;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => true;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => file.Size;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= file.Size || buffer.Length == 0)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, file.Size - _position);
        var bytes = await storage.ReadAsync(file.Path, _position, count, cancellationToken).ConfigureAwait(false);
        bytes.CopyTo(buffer);
        _position += bytes.Length;
        return bytes.Length;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => file.Size + offset,
    };

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
