using System.Text;
using Streams.Formats.Csv;

namespace Streams.Formats.Tests.Csv.Oracle;

/// <summary>
/// The CSV reader as it was before it scanned buffers (one TextReader.Read per character), kept as the oracle (changed only
/// to skip the rest of a malformed row's line, as <see cref="CsvReader"/> now does)
/// the differential tests compare <see cref="CsvReader"/> against: its rows, errors and where it resumes after one.
/// </summary>
internal sealed class CharByCharCsvReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly CsvOptions _options;
    private readonly bool _leaveOpen;
    private readonly StringBuilder _field = new();
    private bool _skipRestOfLine;

    /// <summary>Creates a reader over <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public CharByCharCsvReader(TextReader reader, string file, CsvOptions? options = null, bool leaveOpen = false)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        File = file;
        _options = options ?? CsvOptions.Default;
        _leaveOpen = leaveOpen;
        if (_options.Delimiter == _options.Quote || _options.Delimiter is '\r' or '\n')
        {
            throw new ArgumentException("The delimiter must differ from the quote and from line breaks.", nameof(options));
        }
    }

    /// <summary>The file name used in error messages.</summary>
    public string File { get; }

    /// <summary>The 1-based number of the row last returned by <see cref="ReadRow"/> (0 before the first).</summary>
    public long Row { get; private set; }

    /// <summary>
    /// True when the input ended inside a quoted field of the last row read attempt. Samplers that read a
    /// truncated prefix of a file use it to tell a cut-off row from a malformed one.
    /// </summary>
    public bool EndedInsideQuotes { get; private set; }

    /// <summary>Reads the next row into <paramref name="fields"/> (cleared first); false at the end of input.</summary>
    /// <exception cref="CsvFormatException">The row is malformed.</exception>
    public bool ReadRow(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        if (_skipRestOfLine)
        {
            // After a malformed row, the rest of its line is not another row.
            _skipRestOfLine = false;
            int skipped;
            while ((skipped = _reader.Read()) >= 0 && skipped != '\r' && skipped != '\n')
            {
            }

            if (skipped == '\r' && _reader.Peek() == '\n')
            {
                _reader.Read();
            }
        }

        var c = _reader.Read();
        if (c < 0)
        {
            return false;
        }

        Row++;
        var delimiter = _options.Delimiter;
        var quote = _options.Quote;
        _field.Clear();
        while (true)
        {
            if (c == quote && _field.Length == 0)
            {
                ReadQuoted(fields.Count + 1);
                c = _reader.Read();
                if (c >= 0 && c != delimiter && c != '\r' && c != '\n')
                {
                    _skipRestOfLine = true;
                    throw new CsvFormatException($"Unexpected '{(char)c}' after a closing quote.", File, Row, fields.Count + 1);
                }
            }
            else
            {
                while (c >= 0 && c != delimiter && c != '\r' && c != '\n')
                {
                    if (c == quote)
                    {
                        _skipRestOfLine = true;
                        throw new CsvFormatException("A quote inside an unquoted field.", File, Row, fields.Count + 1);
                    }

                    _field.Append((char)c);
                    c = _reader.Read();
                }
            }

            fields.Add(_field.ToString());
            _field.Clear();
            if (c == delimiter)
            {
                c = _reader.Read();
                continue;
            }

            if (c == '\r' && _reader.Peek() == '\n')
            {
                _reader.Read();
            }

            return true;
        }
    }

    private void ReadQuoted(int column)
    {
        var quote = _options.Quote;
        var startRow = Row;
        while (true)
        {
            var c = _reader.Read();
            if (c < 0)
            {
                EndedInsideQuotes = true;
                throw new CsvFormatException($"A quoted field starting on row {startRow} is not closed before the end of the input.",
                    File, startRow, column);
            }

            if (c == quote)
            {
                if (_reader.Peek() == quote)
                {
                    _reader.Read();
                    _field.Append(quote);
                    continue;
                }

                return;
            }

            _field.Append((char)c);
        }
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
