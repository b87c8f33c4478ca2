using Streams.Formats.Avro.Files;
using Streams.Formats.Model;

namespace Streams.Formats.Avro;

/// <summary>Avro object container files (<c>.avro</c>) for <see cref="RecordFiles"/>.</summary>
public sealed class AvroRecordFileFormat : RecordFileFormat
{
    /// <summary>The instance registered with <see cref="RecordFiles"/>.</summary>
    public static AvroRecordFileFormat Instance { get; } = new();

    private AvroRecordFileFormat()
    {
    }

    /// <inheritdoc />
    public override string Name => "avro";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".avro"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Codecs => AvroCodec.SupportedNames;

    /// <inheritdoc />
    public override bool StoresSchema => true;

    /// <inheritdoc />
    public override async Task<IRecordReader> OpenReaderAsync(Stream stream, RecordFileOptions options,
        CancellationToken cancellationToken)
    {
        var reader = await AvroFileReader.OpenAsync(stream, options.Schema, options.FileName, leaveOpen: false, cancellationToken)
            .ConfigureAwait(false);
        return new Reader(reader);
    }

    /// <inheritdoc />
    public override Task<IRecordWriter> OpenWriterAsync(Stream stream, Schema schema, RecordFileOptions options,
        CancellationToken cancellationToken)
    {
        var codec = options.Codec is null ? AvroCodec.Null : AvroCodec.FromName(options.Codec) ?? throw new ArgumentException(
            $"Unknown Avro codec '{options.Codec}'; supported: {string.Join(", ", AvroCodec.SupportedNames)}.", nameof(options));
        IRecordWriter writer = new Writer(AvroFileWriter.Create(stream, schema, new AvroFileWriterOptions { Codec = codec }));
        return Task.FromResult(writer);
    }

    private sealed class Reader(AvroFileReader reader) : IRecordReader
    {
        public Schema Schema => reader.ReaderSchema;

        public async ValueTask<IReadOnlyList<object?>?> ReadBatchAsync(CancellationToken cancellationToken) =>
            (await reader.ReadBlockAsync(cancellationToken).ConfigureAwait(false))?.Records;

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }

    private sealed class Writer(AvroFileWriter writer) : IRecordWriter
    {
        public Schema Schema => writer.Schema;

        public ValueTask WriteAsync(object? record, CancellationToken cancellationToken) => writer.WriteAsync(record, cancellationToken);

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
