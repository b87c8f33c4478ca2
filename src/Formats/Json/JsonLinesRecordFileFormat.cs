using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>JSON lines files (<c>.jsonl</c>, <c>.ndjson</c>) for <see cref="RecordFiles"/>. Reading needs a target schema.</summary>
public sealed class JsonLinesRecordFileFormat : RecordFileFormat
{
    /// <summary>The instance registered with <see cref="RecordFiles"/>.</summary>
    public static JsonLinesRecordFileFormat Instance { get; } = new();

    private JsonLinesRecordFileFormat()
    {
    }

    /// <inheritdoc />
    public override string Name => "jsonl";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

    /// <inheritdoc />
    public override bool StoresSchema => false;

    /// <inheritdoc />
    public override Task<IRecordReader> OpenReaderAsync(Stream stream, RecordFileOptions options, CancellationToken cancellationToken)
    {
        var schema = options.Schema ?? throw new ArgumentException(
            $"{options.FileName ?? "A JSON lines file"} carries no schema: reading it needs one (for example --schema FILE.avsc).",
            nameof(options));
        IRecordReader reader = new JsonLinesReader(stream, schema, options.FileName, onBadRecord: options.OnBadRecord);
        return Task.FromResult(reader);
    }

    /// <inheritdoc />
    public override Task<IRecordWriter> OpenWriterAsync(Stream stream, Schema schema, RecordFileOptions options,
        CancellationToken cancellationToken)
    {
        if (options.Codec is not null and not "null")
        {
            throw new ArgumentException($"JSON lines files are not compressed; the codec '{options.Codec}' does not apply.", nameof(options));
        }

        IRecordWriter writer = new JsonLinesWriter(stream, schema);
        return Task.FromResult(writer);
    }
}
