using System.Security.Cryptography;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Files;

/// <summary>
/// Writes an Avro object container file (Avro 1.11 specification, "Object Container Files"): the header,
/// then blocks of records, each compressed by the codec and followed by the sync marker. Records are
/// encoded into a buffer that becomes a block once it reaches <see cref="AvroFileWriterOptions.BlockSize"/>.
/// </summary>
/// <remarks>
/// Dispose (or <see cref="FlushAsync"/>) writes the last block. A record that does not fit the schema
/// throws <see cref="AvroValueException"/> and leaves nothing of itself in the file.
/// </remarks>
public sealed class AvroFileWriter : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly AvroDatumWriter _datumWriter;
    private readonly AvroCodec _codec;
    private readonly byte[] _sync;
    private readonly int _blockSize;
    private readonly ByteBuffer _block = new(64 * 1024);
    private readonly ByteBuffer _output = new(64 * 1024);
    private readonly ByteBuffer _compressed = new(64 * 1024);
    private long _blockCount;
    private bool _disposed;

    private AvroFileWriter(Stream stream, Schema schema, AvroCodec codec, byte[] sync, AvroFileWriterOptions options)
    {
        _stream = stream;
        _leaveOpen = options.LeaveOpen;
        Schema = schema;
        _datumWriter = AvroDatumWriter.For(schema, options.SizedBlocks);
        _codec = codec;
        _sync = sync;
        _blockSize = options.BlockSize;
    }

    /// <summary>The schema records are written with.</summary>
    public Schema Schema { get; }

    /// <summary>The block codec.</summary>
    public AvroCodec Codec => _codec;

    /// <summary>The number of records written (including those buffered in the current block).</summary>
    public long RecordCount { get; private set; }

    /// <summary>Starts a new file on <paramref name="stream"/> with <paramref name="schema"/>; the header is written with the first block.</summary>
    public static AvroFileWriter Create(Stream stream, Schema schema, AvroFileWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new AvroFileWriterOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BlockSize);
        var sync = options.SyncMarker?.ToArray() ?? RandomNumberGenerator.GetBytes(AvroFileHeader.SyncSize);
        if (sync.Length != AvroFileHeader.SyncSize)
        {
            throw new ArgumentException($"The sync marker must be {AvroFileHeader.SyncSize} bytes.", nameof(options));
        }

        var writer = new AvroFileWriter(stream, schema, options.Codec, sync, options);
        AvroFileHeader.Write(writer._output, AvroSchemaWriter.ToJson(schema), options.Codec, sync, options.Metadata);
        return writer;
    }

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/>.</summary>
    public static AvroFileWriter Create(string path, Schema schema, AvroFileWriterOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
        try
        {
            return Create(stream, schema, (options ?? new AvroFileWriterOptions()) with { LeaveOpen = false });
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing container file for appending: reads its header (schema, codec, sync marker) and
    /// continues with new blocks at its end. <paramref name="stream"/> must be readable, seekable and writable.
    /// The codec and sync marker come from the file: the options' codec, sync marker and metadata do not apply.
    /// </summary>
    /// <exception cref="AvroFileException">The existing header is invalid.</exception>
    public static async Task<AvroFileWriter> OpenAppendAsync(Stream stream, AvroFileWriterOptions? options = null,
        string? fileName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek || !stream.CanWrite)
        {
            throw new ArgumentException("Appending needs a readable, seekable and writable stream.", nameof(stream));
        }

        options ??= new AvroFileWriterOptions();
        stream.Seek(0, SeekOrigin.Begin);
        var header = await AvroFileReader.ReadHeaderAsync(new StreamWindow(stream, 4096), fileName, cancellationToken)
            .ConfigureAwait(false);
        stream.Seek(0, SeekOrigin.End);
        return new AvroFileWriter(stream, header.Schema, header.Codec, header.SyncMarker, options);
    }

    /// <summary>Opens the file at <paramref name="path"/> for appending (see <see cref="OpenAppendAsync(Stream, AvroFileWriterOptions?, string?, CancellationToken)"/>).</summary>
    public static async Task<AvroFileWriter> OpenAppendAsync(string path, AvroFileWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, useAsync: true);
        try
        {
            return await OpenAppendAsync(stream, (options ?? new AvroFileWriterOptions()) with { LeaveOpen = false }, path,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds a record to the current block, writing the block out when it is full.</summary>
    /// <exception cref="AvroValueException">The record does not fit the schema; nothing of it is written.</exception>
    public ValueTask WriteAsync(object? record, CancellationToken cancellationToken = default)
    {
        Append(record);
        return _block.Length >= _blockSize ? WriteBlockAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Adds a record to the current block, writing the block out synchronously when it is full.</summary>
    /// <exception cref="AvroValueException">The record does not fit the schema; nothing of it is written.</exception>
    public void Write(object? record)
    {
        Append(record);
        if (_block.Length >= _blockSize)
        {
            EncodeBlock();
            _stream.Write(_output.WrittenSpan);
            _output.Clear();
        }
    }

    /// <summary>Writes the current block (if it holds records) and flushes the stream.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await WriteBlockAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Append(object? record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var mark = _block.Length;
        try
        {
            _datumWriter.Write(record, _block);
        }
        catch
        {
            _block.Truncate(mark);
            throw;
        }

        _blockCount++;
        RecordCount++;
    }

    private async ValueTask WriteBlockAsync(CancellationToken cancellationToken)
    {
        EncodeBlock();
        if (_output.Length > 0)
        {
            await _stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _output.Clear();
        }
    }

    /// <summary>Appends the current block (count, size, compressed data, sync) to the output buffer, after any header.</summary>
    private void EncodeBlock()
    {
        if (_blockCount == 0)
        {
            return;
        }

        // The null codec writes the encoded records as they are; other codecs compress them first.
        ReadOnlySpan<byte> data = _block.WrittenSpan;
        if (!ReferenceEquals(_codec, AvroCodec.Null))
        {
            _compressed.Clear();
            _codec.Compress(data, _compressed);
            data = _compressed.WrittenSpan;
        }

        var writer = new AvroWriter(_output);
        writer.WriteLong(_blockCount);
        writer.WriteLong(data.Length);
        writer.WriteFixed(data);
        writer.WriteFixed(_sync);
        writer.Flush();
        _block.Clear();
        _blockCount = 0;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await WriteBlockAsync(CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed = true;
            _block.Dispose();
            _output.Dispose();
            _compressed.Dispose();
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            EncodeBlock();
            _stream.Write(_output.WrittenSpan);
            _stream.Flush();
        }
        finally
        {
            _disposed = true;
            _block.Dispose();
            _output.Dispose();
            _compressed.Dispose();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }
}
