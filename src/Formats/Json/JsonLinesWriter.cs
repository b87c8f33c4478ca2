using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Writes records as JSON lines: one plain JSON object per line, fields in schema order, values rendered
/// for people and tools (see docs in <c>JsonValueRenderer</c>: ISO-8601 dates and times, decimals as strings,
/// bytes as base64, unions unwrapped).
/// </summary>
public sealed class JsonLinesWriter : IRecordWriter
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Stream? _stream;
    private readonly TextWriter? _text;
    private readonly bool _leaveOpen;
    private readonly ByteBuffer _buffer = new(FlushThreshold * 2);
    private static readonly ConditionalWeakTable<Schema, JsonValueRenderer.Render> Renderers = new();
    private readonly Utf8JsonWriter _json;
    private readonly JsonValueRenderer.Render _render;
    private bool _disposed;

    /// <summary>Creates a writer of <paramref name="schema"/> values onto <paramref name="stream"/>.</summary>
    public JsonLinesWriter(Stream stream, Schema schema, bool leaveOpen = false)
        : this(schema, leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Creates a writer of <paramref name="schema"/> values onto a text writer (such as the console); it is left open.</summary>
    public JsonLinesWriter(TextWriter writer, Schema schema)
        : this(schema, leaveOpen: true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _text = writer;
    }

    private JsonLinesWriter(Schema schema, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _leaveOpen = leaveOpen;
        Schema = schema;
        _render = JsonValueRenderer.Compile(schema);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            // Files are UTF-8: keep non-ASCII text readable instead of \u-escaping it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
    }

    /// <inheritdoc />
    public Schema Schema { get; }

    /// <summary>Appends one record (or any value of the schema) as a line.</summary>
    /// <exception cref="Avro.AvroValueException">The value does not fit the schema; nothing of it is written.</exception>
    public ValueTask WriteAsync(object? record, CancellationToken cancellationToken = default)
    {
        Append(record);
        return _buffer.Length >= FlushThreshold ? FlushBufferAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes the lines appended so far to the stream or text writer and flushes it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        if (_stream is not null)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _text!.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renders one value as a single line of JSON (without the newline).</summary>
    public static string ToJson(Schema schema, object? value)
    {
        using var buffer = new ByteBuffer(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            // Compiled once per schema: callers render value after value of the same schema.
            Renderers.GetValue(schema, static s => JsonValueRenderer.Compile(s))(json, value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Append(object? record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var mark = _buffer.Length;
        try
        {
            _render(_json, record);
            _json.Flush();

            // Each line is its own JSON document: without a reset the writer would put a comma before the next.
            _json.Reset();
        }
        catch
        {
            _json.Reset(_buffer);
            _buffer.Truncate(mark);
            throw;
        }

        _buffer.Write("\n"u8);
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _text!.WriteAsync(System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan).AsMemory(), cancellationToken)
                .ConfigureAwait(false);
        }

        _buffer.Clear();
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
            await FlushBufferAsync(CancellationToken.None).ConfigureAwait(false);
            if (_stream is not null)
            {
                await _stream.FlushAsync().ConfigureAwait(false);
            }
            else
            {
                await _text!.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _disposed = true;
            await _json.DisposeAsync().ConfigureAwait(false);
            _buffer.Dispose();
            if (!_leaveOpen && _stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
