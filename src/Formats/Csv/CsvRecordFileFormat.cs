using System.Runtime.CompilerServices;
using System.Text;
using Streams.Formats.Model;

namespace Streams.Formats.Csv;

/// <summary>
/// Delimited text files for <see cref="RecordFiles"/>: <c>.csv</c> (comma) and <c>.tsv</c> (tab), RFC 4180 quoting,
/// a header row. Reading needs a target schema; columns match fields by header name.
/// </summary>
public sealed class CsvRecordFileFormat : RecordFileFormat
{
    private const int BatchSize = 1024;

    /// <summary>The instance registered with <see cref="RecordFiles"/>.</summary>
    public static CsvRecordFileFormat Instance { get; } = new();

    private CsvRecordFileFormat()
    {
    }

    /// <inheritdoc />
    public override string Name => "csv";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".csv", ".tsv"];

    /// <inheritdoc />
    public override bool StoresSchema => false;

    /// <inheritdoc />
    public override Task<IRecordReader> OpenReaderAsync(Stream stream, RecordFileOptions options, CancellationToken cancellationToken)
    {
        var schema = options.Schema as RecordSchema ?? throw new ArgumentException(
            $"{options.FileName ?? "A CSV file"} carries no schema: reading it needs a record schema (for example --schema FILE.avsc).",
            nameof(options));
        IRecordReader reader = new Reader(new CsvRecordReader(OpenText(stream), options.FileName ?? "csv", schema,
            OptionsFor(options.FileName)), schema, options.OnBadRecord);
        return Task.FromResult(reader);
    }

    /// <inheritdoc />
    public override Task<IRecordWriter> OpenWriterAsync(Stream stream, Schema schema, RecordFileOptions options,
        CancellationToken cancellationToken)
    {
        if (options.Codec is not null and not "null")
        {
            throw new ArgumentException($"CSV files are not compressed; the codec '{options.Codec}' does not apply.", nameof(options));
        }

        IRecordWriter writer = new CsvWriter(stream, schema, OptionsFor(options.FileName));
        return Task.FromResult(writer);
    }

    // UTF-8 unless a byte order mark says otherwise, as StreamReader's defaults, with blocks larger than its 1 KiB ones:
    // CsvReader asks for 16K characters at a time.
    private static StreamReader OpenText(Stream stream) =>
        new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024);

    private static CsvOptions OptionsFor(string? fileName) =>
        fileName?.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) == true ? CsvOptions.Default with { Delimiter = '\t' } : CsvOptions.Default;

    private sealed class Reader(CsvRecordReader reader, Schema schema, Action<RecordFileException>? onBadRecord) : IRecordReader
    {
        private CsvFormatException? _pending;

        public Schema Schema { get; } = schema;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken = default)
        {
            if (_pending is { } pending)
            {
                // A bad data row spoils only itself: the call after its error reads on from the next row.
                _pending = null;
                throw pending;
            }

            var batch = new List<object?>();
            while (batch.Count < BatchSize)
            {
                try
                {
                    if (reader.Read() is not { } record)
                    {
                        break;
                    }

                    batch.Add(record);
                }
                catch (CsvFormatException e) when (onBadRecord is not null && reader.ColumnsResolved)
                {
                    onBadRecord(e);
                }
                catch (CsvFormatException e) when (batch.Count > 0)
                {
                    // The good records before the bad row are returned first; the error comes with the next call.
                    _pending = e;
                    break;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<object?>?>(batch.Count == 0 ? null : batch);
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
