using System.Globalization;
using System.Text;
using Streams.Formats.Model;

namespace Streams.Formats.Csv;

/// <summary>
/// Writes records of a flat <see cref="RecordSchema"/> as RFC 4180 delimited text: a header row of field names,
/// then one row per record. Fields holding the delimiter, the quote or a line break are quoted, quotes doubled.
/// Values are written as <see cref="CsvValueConverter"/> reads them back (invariant culture, ISO dates, base64
/// bytes); null is the empty field.
/// </summary>
public sealed class CsvWriter : IRecordWriter
{
    private readonly TextWriter _writer;
    private readonly CsvOptions _options;
    private readonly RecordSchema _schema;
    private readonly StringBuilder _row = new();
    private bool _headerWritten;

    /// <summary>Creates a writer of <paramref name="schema"/> records onto <paramref name="stream"/>, which it owns.</summary>
    /// <exception cref="SchemaException">The schema is not a record of primitive (or nullable primitive) fields.</exception>
    public CsvWriter(Stream stream, Schema schema, CsvOptions? options = null)
    {
        _schema = schema as RecordSchema ?? throw new SchemaException($"CSV holds records, not {schema.DisplayName}.", schema.DisplayName);
        foreach (var field in _schema.Fields)
        {
            var type = field.Schema.NonNullBranch ?? field.Schema;
            if (type is RecordSchema or ArraySchema or MapSchema or UnionSchema)
            {
                throw new SchemaException($"CSV columns are flat: field '{field.Name}' is {field.Schema.DisplayName}, which CSV cannot store.", field.Name);
            }
        }

        _writer = new StreamWriter(stream, new UTF8Encoding(false));
        _options = options ?? CsvOptions.Default;
    }

    /// <inheritdoc />
    public Schema Schema => _schema;

    /// <inheritdoc />
    public async ValueTask WriteAsync(object? record, CancellationToken cancellationToken = default)
    {
        if (record is not GenericRecord value)
        {
            throw new ArgumentException($"Expected a record of {_schema.FullName}, got {record?.GetType().Name ?? "null"}.", nameof(record));
        }

        if (!_headerWritten && _options.HasHeader)
        {
            await WriteRowAsync(_schema.Fields.Select(f => f.Name), cancellationToken);
        }

        _headerWritten = true;
        await WriteRowAsync(_schema.Fields.Select(f => Format(value[f.Position], f)), cancellationToken);
    }

    private async Task WriteRowAsync(IEnumerable<string> fields, CancellationToken cancellationToken)
    {
        _row.Clear();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                _row.Append(_options.Delimiter);
            }

            first = false;
            if (field.Contains(_options.Delimiter) || field.Contains(_options.Quote) || field.Contains('\n') || field.Contains('\r'))
            {
                var quote = _options.Quote.ToString();
                _row.Append(quote).Append(field.Replace(quote, quote + quote, StringComparison.Ordinal)).Append(quote);
            }
            else
            {
                _row.Append(field);
            }
        }

        _row.Append("\r\n");
        await _writer.WriteAsync(_row, cancellationToken);
    }

    private string Format(object? value, Field field)
    {
        var invariant = CultureInfo.InvariantCulture;
        return value switch
        {
            null when CsvValueConverter.IsNullable(field.Schema) => _options.NullValue,
            null => throw new ArgumentException($"Field '{field.Name}' is not nullable but the value is null."),
            string s => s,
            bool b => b ? "true" : "false",
            int or long => Convert.ToString(value, invariant)!,
            float f => f.ToString("R", invariant),
            double d => d.ToString("R", invariant),
            DecimalValue d => d.ToString(),
            DateOnly d => d.ToString("yyyy-MM-dd", invariant),
            DateTime t when t.Kind == DateTimeKind.Utc => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", invariant),
            DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", invariant),
            TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", invariant),
            Guid g => g.ToString(),
            byte[] bytes => Convert.ToBase64String(bytes),
            _ => throw new ArgumentException($"Field '{field.Name}': a {value.GetType().Name} cannot be written to CSV."),
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_headerWritten && _options.HasHeader)
        {
            await WriteRowAsync(_schema.Fields.Select(f => f.Name), CancellationToken.None);
        }

        await _writer.DisposeAsync();
    }
}
