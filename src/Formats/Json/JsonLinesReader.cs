using System.Text.Json;
using System.Text.Unicode;
using Streams.Formats.Avro;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Reads JSON lines (one JSON object per line; blank lines are skipped) as records of a target schema. A line
/// that is not JSON or not a record of the schema raises a <see cref="JsonLinesException"/> with its line number
/// and field path, after the records of the lines before it were returned.
/// </summary>
public sealed class JsonLinesReader : IEncodedRecordReader
{
    private const int BatchSize = 1024;
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly JsonValueParser.Parse _parse;
    private readonly string? _fileName;
    private readonly Action<RecordFileException>? _onBadRecord;
    private JsonLinesException? _pending;
    private JsonAvroTranscoder? _transcoder;
    private bool _transcoderCompiled;
    private EncodedRecordBatch? _encoded;
    private ByteBuffer? _scratch;
    private long _line;

    // Why bytes rather than a StreamReader: a line is parsed where it lies in the buffer, with no UTF-16 string made
    // of it and no re-encoding to UTF-8 for the JSON parser. _buffer[_start.._end] holds what is read and not consumed.
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _atStart = true;

    /// <summary>
    /// Creates a reader of <paramref name="schema"/> records from <paramref name="stream"/>; with
    /// <paramref name="onBadRecord"/>, a line that does not fit is reported there and skipped (see <see cref="RecordFileOptions.OnBadRecord"/>).
    /// </summary>
    public JsonLinesReader(Stream stream, Schema schema, string? fileName = null, bool leaveOpen = false,
        Action<RecordFileException>? onBadRecord = null)
    {
        _onBadRecord = onBadRecord;
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _fileName = fileName;
        _parse = JsonValueParser.Compile(schema);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <inheritdoc />
    public Schema Schema { get; }

    /// <summary>The number of lines read so far.</summary>
    public long LinesRead => _line;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken = default)
    {
        var batch = new List<object?>();
        return await ReadLinesAsync(batch, null, cancellationToken).ConfigureAwait(false) ? batch : null;
    }

    /// <summary>
    /// The next batch with each line's record in Avro binary where the schema allows it (flat types, see
    /// <see cref="JsonAvroTranscoder"/>), with the very bytes the decoded record encodes to; a line that is not
    /// transcoded is decoded as <see cref="ReadBatchAsync"/> decodes it, and bad lines are reported as there.
    /// </summary>
    public async ValueTask<EncodedRecordBatch?> ReadEncodedBatchAsync(CancellationToken cancellationToken = default)
    {
        var batch = _encoded ??= new EncodedRecordBatch();
        batch.Clear();
        return await ReadLinesAsync(null, batch, cancellationToken).ConfigureAwait(false) ? batch : null;
    }

    /// <summary>True when <see cref="ReadEncodedBatchAsync"/> transcodes lines; false when the schema holds types it does not.</summary>
    internal bool Transcodes => Transcoder is not null;

    private JsonAvroTranscoder? Transcoder
    {
        get
        {
            if (!_transcoderCompiled)
            {
                _transcoder = JsonAvroTranscoder.Compile(Schema);
                _transcoderCompiled = true;
            }

            return _transcoder;
        }
    }

    /// <summary>Reads up to a batch of records into <paramref name="decoded"/> or else <paramref name="encoded"/>; false at the end.</summary>
    private async ValueTask<bool> ReadLinesAsync(List<object?>? decoded, EncodedRecordBatch? encoded, CancellationToken cancellationToken)
    {
        if (_pending is { } pending)
        {
            throw Raise(pending);
        }

        var transcoder = encoded is null ? null : Transcoder;
        var count = 0;
        while (count < BatchSize)
        {
            // Most lines lie whole in the buffer: taking them without the asynchronous call saves its cost per line.
            var line = TakeBufferedLine() ?? await NextLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is not { } bytes)
            {
                break;
            }

            _line++;
            if (bytes.Span.IndexOfAnyExcept(" \t\r"u8) < 0)
            {
                continue;
            }

            if (transcoder is not null)
            {
                var start = encoded!.Bytes.Length;
                if (transcoder.TryTranscode(bytes.Span, encoded.Bytes, _scratch ??= new ByteBuffer(1024)))
                {
                    encoded.AddEncoded(start);
                    count++;
                    continue;
                }
            }

            try
            {
                var value = ParseLine(bytes);
                if (decoded is not null)
                {
                    decoded.Add(value);
                }
                else
                {
                    encoded!.AddDecoded(value);
                }

                count++;
            }
            catch (JsonLinesException e) when (_onBadRecord is not null)
            {
                _onBadRecord(e);
            }
            catch (JsonLinesException e)
            {
                _pending = e;
                break;
            }
        }

        if (count == 0)
        {
            return _pending is { } error ? throw Raise(error) : false;
        }

        return true;
    }

    /// <summary>A bad line spoils only itself: after its error the next call reads on from the following line.</summary>
    private JsonLinesException Raise(JsonLinesException error)
    {
        _pending = null;
        return error;
    }

    /// <summary>The next line if the buffer holds all of it (and the start of the file was looked at), else null.</summary>
    private ReadOnlyMemory<byte>? TakeBufferedLine()
    {
        var newline = _atStart ? -1 : _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            return null;
        }

        var line = new ReadOnlyMemory<byte>(_buffer, _start, newline);
        _start += newline + 1;
        return TrimCarriageReturn(line);
    }

    /// <summary>The next line without its line break (a UTF-8 byte order mark at the start of the file is skipped), or null at the end.</summary>
    private async ValueTask<ReadOnlyMemory<byte>?> NextLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            if (_atStart && (_end - _start >= 3 || _endOfStream))
            {
                _atStart = false;
                scanned = 0; // nothing was searched for a line break before the mark was looked for
                if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
                {
                    _start += 3;
                }
            }

            var newline = _atStart ? -1 : _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = new ReadOnlyMemory<byte>(_buffer, _start, scanned + newline);
                _start += scanned + newline + 1;
                return TrimCarriageReturn(line);
            }

            if (_endOfStream)
            {
                if (_start == _end)
                {
                    return null;
                }

                var last = new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                _start = _end;
                return TrimCarriageReturn(last);
            }

            scanned = _end - _start;
            if (_start > 0)
            {
                // Keep the partial line at the front so the buffer grows only for a line longer than it.
                _buffer.AsSpan(_start, scanned).CopyTo(_buffer);
                _start = 0;
                _end = scanned;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _end += read;
            _endOfStream = read == 0;
        }
    }

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;

    private object? ParseLine(ReadOnlyMemory<byte> text)
    {
        if (!Utf8.IsValid(text.Span))
        {
            throw new JsonLinesException("the line is not valid UTF-8", _fileName, _line, "");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return _parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new JsonLinesException($"not valid JSON: {e.Message}", _fileName, _line, "", e);
        }
        catch (AvroValueException e)
        {
            throw new JsonLinesException(e.Reason, _fileName, _line, e.Path, e);
        }
        catch (InvalidOperationException e)
        {
            // An escaped lone surrogate ("\ud800" without its pair) is valid JSON but no text: the line is bad, not the file.
            throw new JsonLinesException($"a string is not valid text: {e.Message}", _fileName, _line, "", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _encoded?.Dispose();
        _scratch?.Dispose();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
