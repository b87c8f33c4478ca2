using Streams.Formats.Model;
using ModelSchema = Streams.Formats.Model.Schema;

namespace Streams.Formats.Parquet;

/// <summary>Parquet files (<c>.parquet</c>) for <see cref="RecordFiles"/>: one batch per row group slice.</summary>
public sealed class ParquetRecordFileFormat : RecordFileFormat
{
    // Before Instance: static initializers run in order, and the constructor reads this.
    /// <summary>The codec names <c>--codec</c> and <see cref="RecordFileOptions.Codec"/> take, as DuckDB and Spark spell them.</summary>
    private static readonly IReadOnlyDictionary<string, Metadata.CompressionCodec> CodecNames = new Dictionary<string, Metadata.CompressionCodec>
    {
        ["uncompressed"] = Metadata.CompressionCodec.Uncompressed,
        ["snappy"] = Metadata.CompressionCodec.Snappy,
        ["gzip"] = Metadata.CompressionCodec.Gzip,
        ["zstd"] = Metadata.CompressionCodec.Zstd,
        ["lz4_raw"] = Metadata.CompressionCodec.Lz4Raw,
        ["lz4"] = Metadata.CompressionCodec.Lz4,
    };

    /// <summary>The instance registered with <see cref="RecordFiles"/>.</summary>
    public static ParquetRecordFileFormat Instance { get; } = new();

    private ParquetRecordFileFormat()
    {
    }

    /// <inheritdoc />
    public override string Name => "parquet";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".parquet"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Codecs { get; } = [.. CodecNames.Keys];

    /// <inheritdoc />
    public override bool StoresSchema => true;

    /// <inheritdoc />
    public override async Task<IRecordReader> OpenReaderAsync(Stream stream, RecordFileOptions options, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.OpenAsync(stream, options.FileName, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        if (options.Schema is not null and not RecordSchema)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw new ArgumentException($"Parquet rows are records; {options.Schema.DisplayName} cannot describe them.", nameof(options));
        }

        return new Reader(reader, options.Schema as RecordSchema ?? reader.Schema, cancellationToken);
    }

    /// <inheritdoc />
    public override Task<IRecordWriter> OpenWriterAsync(Stream stream, ModelSchema schema, RecordFileOptions options, CancellationToken cancellationToken)
    {
        if (schema is not RecordSchema record)
        {
            throw new ArgumentException($"Parquet stores records; {schema.DisplayName} is not a record schema.", nameof(schema));
        }

        var writerOptions = ParquetWriterOptions.Default;
        if (options.Codec is not null)
        {
            var name = options.Codec.ToLowerInvariant() is "null" or "none" ? "uncompressed" : options.Codec.ToLowerInvariant();
            writerOptions = writerOptions with
            {
                Compression = CodecNames.TryGetValue(name, out var codec)
                    ? codec
                    : throw new ArgumentException($"Unknown Parquet codec '{options.Codec}'; supported: {string.Join(", ", Codecs)}.", nameof(options)),
            };
        }

        IRecordWriter writer = new Writer(new ParquetWriter(stream, record, writerOptions));
        return Task.FromResult(writer);
    }

    private sealed class Reader(ParquetReader reader, RecordSchema schema, CancellationToken openToken) : IRecordReader
    {
        private readonly IAsyncEnumerator<GenericRecord> _records =
            reader.ReadAsync(new ParquetReadOptions { Schema = schema }, openToken).GetAsyncEnumerator(openToken);

        private const int BatchSize = 4096;

        public ModelSchema Schema => schema;

        public IReadOnlyList<RecordFileWarning> Warnings => reader.Warnings;

        public async ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<object?>(BatchSize);
            while (batch.Count < BatchSize && await _records.MoveNextAsync().ConfigureAwait(false))
            {
                batch.Add(_records.Current);
            }

            return batch.Count == 0 ? null : batch;
        }

        public async ValueTask DisposeAsync()
        {
            await _records.DisposeAsync().ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Writer(ParquetWriter writer) : IRecordWriter
    {
        public ModelSchema Schema => writer.Schema;

        public ValueTask WriteAsync(object? record, CancellationToken cancellationToken) => record is GenericRecord r
            ? writer.WriteAsync(r, cancellationToken)
            : throw new ParquetException($"Parquet rows are records, not {record?.GetType().Name ?? "null"}.");

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
