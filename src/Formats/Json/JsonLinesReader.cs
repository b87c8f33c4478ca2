using System.Text;
using System.Text.Json;
using Streams.Formats.Avro;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Reads JSON lines (one JSON object per line; blank lines are skipped) as records of a target schema. A line
/// that is not JSON or not a record of the schema raises a <see cref="JsonLinesException"/> with its line number
/// and field path, after the records of the lines before it were returned.
/// </summary>
public sealed class JsonLinesReader : IRecordReader
{
    private const int BatchSize = 1024;

    private readonly StreamReader _reader;
    private readonly JsonValueParser.Parse _parse;
    private readonly string? _fileName;
    private readonly Action<RecordFileException>? _onBadRecord;
    private JsonLinesException? _pending;
    private bool _fatal;
    private long _line;

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
        _reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true,
            bufferSize: 64 * 1024, leaveOpen);
    }

    /// <inheritdoc />
    public Schema Schema { get; }

    /// <summary>The number of lines read so far.</summary>
    public long LinesRead => _line;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken = default)
    {
        if (_pending is { } pending)
        {
            throw Raise(pending);
        }

        var batch = new List<object?>();
        while (batch.Count < BatchSize)
        {
            string? text;
            try
            {
                text = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException e)
            {
                _pending = new JsonLinesException("the line is not valid UTF-8", _fileName, _line + 1, "", e);
                _fatal = true;
                break;
            }

            if (text is null)
            {
                break;
            }

            _line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                batch.Add(ParseLine(text));
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

        if (batch.Count == 0)
        {
            return _pending is { } error ? throw Raise(error) : null;
        }

        return batch;
    }

    /// <summary>
    /// A bad line spoils only itself: after its error the next call reads on from the following line. Bytes
    /// that are not UTF-8 end the file (the decoder's place in the stream is lost).
    /// </summary>
    private JsonLinesException Raise(JsonLinesException error)
    {
        if (!_fatal)
        {
            _pending = null;
        }

        return error;
    }

    private object? ParseLine(string text)
    {
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
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
