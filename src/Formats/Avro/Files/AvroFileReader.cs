using System.Runtime.CompilerServices;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Files;

/// <summary>
/// Reads an Avro object container file block by block, asynchronously. A truncated or corrupt block
/// raises an <see cref="AvroFileException"/> naming the block index and file offset, only after every
/// record of the blocks before it was returned: callers keep what was good and know where it stopped.
/// </summary>
/// <example>
/// <code>
/// await using var reader = await AvroFileReader.OpenAsync("events.avro");
/// await foreach (var record in reader.ReadAllAsync(ct)) { ... }   // throws after the last good block
/// </code>
/// </example>
public sealed class AvroFileReader : IAsyncDisposable, IDisposable
{
    // Enough for the two varints of a block header (count and size).
    private const int BlockHeaderMaxSize = 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly StreamWindow _window;
    private readonly AvroDatumReader _datumReader;
    private readonly ByteBuffer _decompressed = new(64 * 1024);
    private bool _failed;
    private AvroDatumScanner? _scanner;

    private AvroFileReader(Stream stream, bool leaveOpen, StreamWindow window, AvroFileHeader header,
        AvroDatumReader datumReader, string? fileName)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _window = window;
        Header = header;
        _datumReader = datumReader;
        FileName = fileName;
    }

    /// <summary>The file header: writer schema, codec, metadata, sync marker.</summary>
    public AvroFileHeader Header { get; }

    /// <summary>The schema the file was written with.</summary>
    public Schema WriterSchema => Header.Schema;

    /// <summary>The schema of the records returned: the reader schema when one was given, else the writer schema.</summary>
    public Schema ReaderSchema => _datumReader.ReaderSchema;

    /// <summary>The file name used in error messages, if known.</summary>
    public string? FileName { get; }

    /// <summary>The number of blocks read so far; the index of the next block.</summary>
    public long BlocksRead { get; private set; }

    /// <summary>Opens the file at <paramref name="path"/> and reads its header.</summary>
    public static async Task<AvroFileReader> OpenAsync(string path, Schema? readerSchema = null,
        CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        try
        {
            return await OpenAsync(stream, readerSchema, path, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads the header from <paramref name="stream"/>. With a <paramref name="readerSchema"/>, records are
    /// resolved from the writer schema to it (Avro schema resolution).
    /// </summary>
    /// <exception cref="SchemaResolutionException">No record of the file's schema can be read with the reader schema.</exception>
    /// <exception cref="AvroFileException">The header is missing, truncated or invalid.</exception>
    public static async Task<AvroFileReader> OpenAsync(Stream stream, Schema? readerSchema = null, string? fileName = null,
        bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var window = new StreamWindow(stream);
        var header = await ReadHeaderAsync(window, fileName, cancellationToken).ConfigureAwait(false);
        window.Consume((int)header.Length);
        var datumReader = readerSchema is null
            ? AvroDatumReader.For(header.Schema)
            : AvroDatumReader.For(header.Schema, readerSchema);
        return new AvroFileReader(stream, leaveOpen, window, header, datumReader, fileName);
    }

    /// <summary>Reads the header of the container file in <paramref name="window"/> without consuming it.</summary>
    internal static async Task<AvroFileHeader> ReadHeaderAsync(StreamWindow window, string? fileName, CancellationToken cancellationToken)
    {
        var wanted = 4096;
        while (true)
        {
            await window.FillAsync(wanted, cancellationToken).ConfigureAwait(false);
            var header = AvroFileHeader.TryParse(window.Available, window.EndOfStream, fileName);
            if (header is not null)
            {
                return header;
            }

            wanted = checked(wanted * 2);
        }
    }

    /// <summary>
    /// Reads the next block's records, or returns <c>null</c> at the end of the file.
    /// </summary>
    /// <exception cref="AvroFileException">The block is truncated or corrupt; later calls throw again.</exception>
    public async ValueTask<AvroBlock?> ReadBlockAsync(CancellationToken cancellationToken = default)
    {
        if (_failed)
        {
            throw new InvalidOperationException("The reader stopped at a corrupt block; it cannot continue.");
        }

        try
        {
            return await ReadBlockCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AvroFileException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>
    /// Every record of the file, block by block. A bad block throws <see cref="AvroFileException"/> after the
    /// records of all good blocks before it have been yielded.
    /// </summary>
    public async IAsyncEnumerable<object?> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadBlockAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            foreach (var record in block.Records)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// True when <see cref="ReadEncodedBlockAsync"/> can find the records of this file: its schema holds no logical type (their
    /// values are checked only when decoded).
    /// </summary>
    public bool CanReadEncoded => AvroDatumScanner.Supports(WriterSchema);

    /// <summary>
    /// True when the records <see cref="ReadEncodedBlockAsync"/> returns are also, byte for byte, records of
    /// <paramref name="schema"/>: it has the writer schema's Parsing Canonical Form, and neither holds a logical type.
    /// </summary>
    public bool IsEncodedAs(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return CanReadEncoded && AvroDatumScanner.Supports(schema)
            && string.Equals(Schemas.CanonicalForm.Of(WriterSchema), Schemas.CanonicalForm.Of(schema), StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads the next block's records as they are encoded, in the writer schema, or returns <c>null</c> at the end of the file:
    /// each record's bytes found by a pass that checks but does not build them, so a block is refused exactly when
    /// <see cref="ReadBlockAsync"/> would refuse it. The block's bytes are valid until the next read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file's schema holds logical types (<see cref="CanReadEncoded"/>).</exception>
    /// <exception cref="AvroFileException">The block is truncated or corrupt; later calls throw again.</exception>
    public async ValueTask<AvroEncodedBlock?> ReadEncodedBlockAsync(CancellationToken cancellationToken = default)
    {
        if (_failed)
        {
            throw new InvalidOperationException("The reader stopped at a corrupt block; it cannot continue.");
        }

        var scanner = _scanner ??= CanReadEncoded
            ? AvroDatumScanner.For(WriterSchema)
            : throw new InvalidOperationException($"The records of {FileName ?? "the file"} hold logical types: read them decoded.");
        try
        {
            if (await ReadRawBlockAsync(cancellationToken).ConfigureAwait(false) is not { } raw)
            {
                return null;
            }

            var ends = Scan(scanner, raw.Records.Span, raw.Count, raw.Index, raw.Offset, raw.RecordsOffset);
            return new AvroEncodedBlock(raw.Index, raw.Offset, raw.Records, ends);
        }
        catch (AvroFileException)
        {
            _failed = true;
            throw;
        }
    }

    private async ValueTask<AvroBlock?> ReadBlockCoreAsync(CancellationToken cancellationToken)
    {
        if (await ReadRawBlockAsync(cancellationToken).ConfigureAwait(false) is not { } raw)
        {
            return null;
        }

        var values = Decode(raw.Records.Span, raw.Count, raw.Index, raw.Offset, raw.RecordsOffset);
        return new AvroBlock(raw.Index, raw.Offset, values);
    }

    /// <summary>
    /// The next block's records, decompressed, and its record count; the block is consumed from the window, whose bytes stay
    /// in place until the next fill. <see cref="RawBlock.RecordsOffset"/> is the records' offset in the file, or 0 when
    /// decompressed (offsets in errors are then in the decompressed data).
    /// </summary>
    private async ValueTask<RawBlock?> ReadRawBlockAsync(CancellationToken cancellationToken)
    {
        await _window.FillAsync(BlockHeaderMaxSize, cancellationToken).ConfigureAwait(false);
        if (_window.Available.IsEmpty)
        {
            return null;
        }

        var index = BlocksRead;
        var blockOffset = _window.Offset;
        var (count, size, headerLength) = ParseBlockHeader(_window.Available, blockOffset, index);
        var total = headerLength + size + AvroFileHeader.SyncSize;
        if (!await _window.FillAsync(total, cancellationToken).ConfigureAwait(false))
        {
            throw Bad(index, blockOffset,
                $"the block is truncated: it needs {total} bytes ({count} records, {size} bytes of data and the sync marker) " +
                $"but the file ends after {_window.Available.Length}");
        }

        var block = _window.AvailableMemory[..total];
        if (!block.Span[(headerLength + size)..].SequenceEqual(Header.SyncMarker))
        {
            throw Bad(index, blockOffset,
                $"the sync marker after {size} bytes of data does not match the header's (the block is corrupt)");
        }

        var data = block.Slice(headerLength, size);
        var dataOffset = blockOffset + headerLength;
        ReadOnlyMemory<byte> records;
        if (ReferenceEquals(Header.Codec, AvroCodec.Null))
        {
            records = data;
        }
        else
        {
            _decompressed.Clear();
            try
            {
                Header.Codec.Decompress(data, _decompressed);
            }
            catch (InvalidDataException e)
            {
                throw Bad(index, blockOffset, $"the {Header.Codec.Name} data cannot be decompressed: {e.Message}", e);
            }

            records = _decompressed.WrittenMemory;
        }

        _window.Consume(total);
        BlocksRead++;
        return new RawBlock(index, blockOffset, count, records, ReferenceEquals(Header.Codec, AvroCodec.Null) ? dataOffset : 0);
    }

    private (long Count, int Size, int HeaderLength) ParseBlockHeader(ReadOnlySpan<byte> available, long blockOffset, long index)
    {
        var reader = new AvroReader(available, blockOffset);
        long count, size;
        try
        {
            count = reader.ReadLong();
            size = reader.ReadLong();
        }
        catch (AvroDataException e)
        {
            throw Bad(index, blockOffset, e.IsTruncation
                ? "the file ends inside the block header (record count and size)"
                : $"the block header is malformed: {e.Message}", e);
        }

        if (count < 0 || size < 0 || size > Array.MaxLength - 64)
        {
            throw Bad(index, blockOffset, $"the block header is corrupt: {count} records in {size} bytes");
        }

        return (count, (int)size, reader.Position);
    }

    private List<object?> Decode(ReadOnlySpan<byte> data, long count, long index, long blockOffset, long baseOffset)
    {
        var reader = new AvroReader(data, baseOffset);
        CheckCount(data, count, index, blockOffset);
        var values = new List<object?>((int)Math.Min(count, 1 << 20));
        long i = 0;
        try
        {
            for (; i < count; i++)
            {
                values.Add(_datumReader.Read(ref reader));
            }
        }
        catch (AvroDataException e)
        {
            throw Corrupt(i, e, index, blockOffset, baseOffset);
        }

        CheckEnd(ref reader, count, index, blockOffset, baseOffset);
        return values;
    }

    private int[] Scan(AvroDatumScanner scanner, ReadOnlySpan<byte> data, long count, long index, long blockOffset, long baseOffset)
    {
        var reader = new AvroReader(data, baseOffset);
        CheckCount(data, count, index, blockOffset);
        var ends = new int[count];
        long i = 0;
        try
        {
            for (; i < count; i++)
            {
                scanner.Skip(ref reader);
                ends[i] = reader.Position;
            }
        }
        catch (AvroDataException e)
        {
            throw Corrupt(i, e, index, blockOffset, baseOffset);
        }

        CheckEnd(ref reader, count, index, blockOffset, baseOffset);
        return ends;
    }

    private void CheckCount(ReadOnlySpan<byte> data, long count, long index, long blockOffset)
    {
        var minimumSize = AvroValueReaders.MinimumSize(_datumReader.WriterSchema);
        if (minimumSize > 0 ? count > data.Length / minimumSize : count > 1 << 24)
        {
            throw Bad(index, blockOffset, $"the block claims {count} records but holds only {data.Length} bytes");
        }
    }

    private AvroFileException Corrupt(long record, AvroDataException e, long index, long blockOffset, long baseOffset) =>
        Bad(index, blockOffset, $"record {record} of the block is corrupt at offset {e.Offset} {Where(baseOffset)}: {e.Message}", e);

    private void CheckEnd(ref AvroReader reader, long count, long index, long blockOffset, long baseOffset)
    {
        if (!reader.IsAtEnd)
        {
            throw Bad(index, blockOffset,
                $"{reader.Remaining} bytes are left over after the block's {count} records (offset {reader.Offset} {Where(baseOffset)})");
        }
    }

    private static string Where(long baseOffset) => baseOffset == 0 ? "of the decompressed data" : "in the file";

    private AvroFileException Bad(long index, long offset, string reason, Exception? inner = null) =>
        new(reason, FileName, index, offset, inner);

    /// <inheritdoc />
    public void Dispose()
    {
        _decompressed.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _decompressed.Dispose();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private readonly record struct RawBlock(long Index, long Offset, long Count, ReadOnlyMemory<byte> Records, long RecordsOffset);
}
