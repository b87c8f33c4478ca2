using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Streams.Formats.Csv;

/// <summary>
/// Reads RFC 4180 delimited text one row at a time: fields separated by a delimiter, optionally
/// quoted, with doubled quotes inside quoted fields and line breaks allowed inside quotes. Rows end
/// with CRLF, LF or CR. A row with a quote in an unquoted field, text after a closing quote, or an
/// unterminated quote fails with a <see cref="CsvFormatException"/> naming file, row and column.
/// </summary>
/// <remarks>
/// The text is read in large blocks into a buffer that always holds the whole current row, and scanned with
/// vectorised searches for the delimiter, quote and line breaks rather than a call per character. After a
/// malformed row the next read starts right after the character that made it malformed.
/// </remarks>
public sealed class CsvReader : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const int NoMask = -(1 << 30);

    private readonly TextReader _reader;
    private readonly CsvOptions _options;
    private readonly bool _leaveOpen;
    private readonly SearchValues<char> _unquotedStops;
    private char[] _buffer = new char[InitialBufferSize];
    private int _end;
    private bool _endOfInput;

    // The current row starts at _rowStart; field offsets are relative to it so that moving the row to the
    // front of the buffer (or into a larger one) leaves them valid.
    private int _rowStart;
    private int _position;
    private bool _skipLineFeed;
    private bool _skipRestOfLine;
    private int[] _fieldStarts = new int[16];
    private int[] _fieldLengths = new int[16];
    private int _fieldCount;

    // Where the stop characters (delimiter, quote, CR, LF) are among the 32 characters from _maskStart, bit i for
    // _buffer[_maskStart + i]: the short fields of a row share one vector comparison rather than a search each.
    private readonly Vector256<ushort> _delimiters;
    private readonly Vector256<ushort> _quotes;
    private int _maskStart = NoMask;
    private uint _mask;

    /// <summary>Creates a reader over <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public CsvReader(TextReader reader, string file, CsvOptions? options = null, bool leaveOpen = false)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        File = file;
        _options = options ?? CsvOptions.Default;
        _leaveOpen = leaveOpen;
        if (_options.Delimiter == _options.Quote || _options.Delimiter is '\r' or '\n')
        {
            throw new ArgumentException("The delimiter must differ from the quote and from line breaks.", nameof(options));
        }

        _unquotedStops = SearchValues.Create([_options.Delimiter, _options.Quote, '\r', '\n']);
        _delimiters = Vector256.Create((ushort)_options.Delimiter);
        _quotes = Vector256.Create((ushort)_options.Quote);
    }

    /// <summary>The file name used in error messages.</summary>
    public string File { get; }

    /// <summary>The 1-based number of the row last read by <see cref="ReadRow"/> or <see cref="Read"/> (0 before the first).</summary>
    public long Row { get; private set; }

    /// <summary>
    /// True when the input ended inside a quoted field of the last row read attempt. Samplers that read a
    /// truncated prefix of a file use it to tell a cut-off row from a malformed one.
    /// </summary>
    public bool EndedInsideQuotes { get; private set; }

    /// <summary>The number of fields of the row last read by <see cref="Read"/>.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>Reads the next row into <paramref name="fields"/> (cleared first); false at the end of input.</summary>
    /// <exception cref="CsvFormatException">The row is malformed; <paramref name="fields"/> holds the fields before the bad one.</exception>
    public bool ReadRow(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        try
        {
            if (!Read())
            {
                return false;
            }
        }
        catch (CsvFormatException)
        {
            AddFields(fields);
            throw;
        }

        AddFields(fields);
        return true;
    }

    /// <summary>
    /// Reads the next row, whose fields <see cref="GetField"/> then returns without making strings; false at the end
    /// of input.
    /// </summary>
    /// <exception cref="CsvFormatException">The row is malformed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        _fieldCount = 0;
        _rowStart = _position;
        if (_skipRestOfLine)
        {
            _skipRestOfLine = false;
            if (!SkipRestOfLine())
            {
                return false;
            }
        }

        if (_skipLineFeed)
        {
            // The last row ended with CR: a LF right after it belongs to that line break.
            if (_position == _end && !Fill())
            {
                return false;
            }

            _skipLineFeed = false;
            if (_buffer[_position] == '\n')
            {
                _rowStart = ++_position;
            }
        }

        if (_position == _end && !Fill())
        {
            return false;
        }

        Row++;
        while (true)
        {
            if (_position == _end && !Fill())
            {
                // The input ends right after a delimiter: one more, empty field.
                AddField(_position, 0);
                return true;
            }

            var stop = _buffer[_position] == _options.Quote ? ReadQuoted() : ReadUnquoted();
            if (stop < 0)
            {
                return true; // end of input
            }

            if (_buffer[stop] != _options.Delimiter)
            {
                _position = stop + 1;
                _skipLineFeed = _buffer[stop] == '\r';
                return true;
            }

            _position = stop + 1;
        }
    }

    /// <summary>The field at <paramref name="index"/> of the row last read by <see cref="Read"/>, valid until the next read.</summary>
    public ReadOnlySpan<char> GetField(int index)
    {
        if ((uint)index >= (uint)_fieldCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The row has {_fieldCount} fields.");
        }

        return _buffer.AsSpan(_rowStart + _fieldStarts[index], _fieldLengths[index]);
    }

    /// <summary>Reads the unquoted field at <see cref="_position"/>; returns the index of the character ending it, -1 at the end of input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadUnquoted()
    {
        var start = _position;
        var scanned = start;
        while (true)
        {
            var stop = IndexOfStop(scanned);
            if (stop >= 0)
            {
                if (_buffer[stop] == _options.Quote)
                {
                    _position = stop + 1;
                    _skipRestOfLine = true;
                    throw new CsvFormatException("A quote inside an unquoted field.", File, Row, _fieldCount + 1);
                }

                AddField(start, stop - start);
                return stop;
            }

            var length = _end - start;
            if (!Fill(ref start))
            {
                AddField(start, _end - start);
                _position = _end;
                return -1;
            }

            scanned = start + length;
        }
    }

    /// <summary>The index of the first delimiter, quote, CR or LF at or after <paramref name="from"/>; -1 when there is none before the end of the buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int IndexOfStop(int from)
    {
        var offset = from - _maskStart;
        if ((uint)offset < 32)
        {
            var bits = _mask & (uint.MaxValue << offset);
            if (bits != 0)
            {
                return _maskStart + BitOperations.TrailingZeroCount(bits);
            }

            from = _maskStart + 32;
        }

        while (Vector256.IsHardwareAccelerated && from + 32 <= _end)
        {
            var chars = MemoryMarshal.Cast<char, ushort>(_buffer.AsSpan(from, 32));
            var bits = StopBits(Vector256.Create<ushort>(chars)) | (StopBits(Vector256.Create<ushort>(chars[16..])) << 16);
            _maskStart = from;
            _mask = bits;
            if (bits != 0)
            {
                return from + BitOperations.TrailingZeroCount(bits);
            }

            from += 32;
        }

        var found = _buffer.AsSpan(from, _end - from).IndexOfAny(_unquotedStops);
        return found < 0 ? -1 : from + found;
    }

    private uint StopBits(Vector256<ushort> chars) =>
        (Vector256.Equals(chars, _delimiters) | Vector256.Equals(chars, _quotes)
            | Vector256.Equals(chars, Vector256.Create((ushort)'\r')) | Vector256.Equals(chars, Vector256.Create((ushort)'\n')))
        .ExtractMostSignificantBits();

    /// <summary>Reads the quoted field at <see cref="_position"/>; returns the index of the character after it, -1 at the end of input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadQuoted()
    {
        var quote = _options.Quote;
        var start = _position;
        var scanned = start + 1;
        var doubled = false;
        while (true)
        {
            var found = _buffer.AsSpan(scanned, _end - scanned).IndexOf(quote);
            if (found < 0 || scanned + found + 1 == _end)
            {
                // The closing quote, or the character after a quote, is not in the buffer yet.
                var length = (found < 0 ? _end : scanned + found) - start;
                if (!Fill(ref start))
                {
                    if (found < 0)
                    {
                        _position = _end;
                        EndedInsideQuotes = true;
                        throw new CsvFormatException($"A quoted field starting on row {Row} is not closed before the end of the input.",
                            File, Row, _fieldCount + 1);
                    }

                    AddQuotedField(start, _end - 1, doubled);
                    _position = _end;
                    return -1;
                }

                scanned = start + length;
                continue;
            }

            var closing = scanned + found;
            var next = _buffer[closing + 1];
            if (next == quote)
            {
                doubled = true;
                scanned = closing + 2;
                continue;
            }

            if (next != _options.Delimiter && next != '\r' && next != '\n')
            {
                _position = closing + 2;
                _skipRestOfLine = true;
                throw new CsvFormatException($"Unexpected '{next}' after a closing quote.", File, Row, _fieldCount + 1);
            }

            AddQuotedField(start, closing, doubled);
            return closing + 1;
        }
    }

    /// <summary>Adds the quoted field from the opening quote at <paramref name="start"/> to the closing one, undoubling its quotes in place.</summary>
    private void AddQuotedField(int start, int closing, bool doubled)
    {
        var content = _buffer.AsSpan(start + 1, closing - start - 1);
        if (doubled)
        {
            var quote = _options.Quote;
            var written = content.IndexOf(quote) + 1;
            for (var read = written + 1; read < content.Length; read++)
            {
                var c = content[read];
                content[written++] = c;
                if (c == quote)
                {
                    read++; // its double
                }
            }

            content = content[..written];
        }

        AddField(start + 1, content.Length);
    }

    private void AddField(int start, int length)
    {
        if (_fieldCount == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, _fieldCount * 2);
            Array.Resize(ref _fieldLengths, _fieldCount * 2);
        }

        _fieldStarts[_fieldCount] = start - _rowStart;
        _fieldLengths[_fieldCount] = length;
        _fieldCount++;
    }

    private void AddFields(List<string> fields)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            fields.Add(new string(GetField(i)));
        }
    }

    /// <summary>
    /// Skips what is left of a malformed row's line, so that the next row starts on the next line and <see cref="Row"/>
    /// keeps naming lines as they are in the file; false when the input ends first.
    /// </summary>
    private bool SkipRestOfLine()
    {
        while (true)
        {
            _rowStart = _position;
            var found = _buffer.AsSpan(_position, _end - _position).IndexOfAny('\r', '\n');
            if (found >= 0)
            {
                var stop = _position + found;
                _position = stop + 1;
                _rowStart = _position;
                _skipLineFeed = _buffer[stop] == '\r';
                return true;
            }

            _position = _end;
            if (!Fill())
            {
                return false;
            }
        }
    }

    private bool Fill()
    {
        var unused = _position;
        return Fill(ref unused);
    }

    /// <summary>
    /// Reads more text behind the buffered part of the current row, first moving that part to the front of the buffer
    /// (or into a larger one when it fills the buffer); <paramref name="index"/> and <see cref="_position"/> move with it.
    /// False at the end of input.
    /// </summary>
    private bool Fill(ref int index)
    {
        if (_endOfInput)
        {
            return false;
        }

        var shift = _rowStart;
        var kept = _end - _rowStart;
        if (shift == 0 && kept == _buffer.Length)
        {
            var larger = new char[_buffer.Length * 2];
            _buffer.AsSpan(0, kept).CopyTo(larger);
            _buffer = larger;
        }
        else if (shift > 0)
        {
            _buffer.AsSpan(shift, kept).CopyTo(_buffer);
        }

        _rowStart = 0;
        _maskStart = NoMask;
        _end = kept;
        _position -= shift;
        index -= shift;
        var read = _reader.Read(_buffer.AsSpan(_end));
        if (read == 0)
        {
            _endOfInput = true;
            return false;
        }

        _end += read;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _reader.Dispose();
        }
    }
}
