using Streams.Formats.Parquet;

namespace Streams.Catalog.Classifiers;

/// <summary>
/// Parquet files, recognised by the magic <c>PAR1</c> at the start (Parquet format specification, "File
/// Format"); the schema comes from the footer, read with ranged reads. A file that starts with the magic but
/// has no valid footer is truncated or corrupt: unreadable.
/// </summary>
public sealed class ParquetClassifier : IClassifier
{
    /// <summary>The classification name.</summary>
    public const string Format = "parquet";

    /// <inheritdoc />
    public string Name => Format;

    /// <inheritdoc />
    public async Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        if (!sample.Head.AsSpan().StartsWith("PAR1"u8))
        {
            return null;
        }

        try
        {
            await using var reader = await ParquetReader.OpenAsync(sample.OpenSeekable(), sample.File.Path, leaveOpen: false, cancellationToken);
            // Compression is per column chunk and does not affect the table, so it is not a parameter.
            return new Classification(Format, reader.Schema, new Dictionary<string, string>(), Name);
        }
        catch (ParquetException e)
        {
            throw new UnreadableFileException(sample.File.Path, e.Message, e);
        }
    }
}
