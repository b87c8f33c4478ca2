namespace Streams.Catalog.Classifiers;

/// <summary>
/// Parquet files, recognised by the magic <c>PAR1</c> at both ends (Parquet format specification, "File Format").
/// A file that starts with the magic but does not end with it is truncated: unreadable.
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

        var tail = sample.IsComplete ? sample.Head[^Math.Min(8, sample.Head.Length)..] : await sample.ReadRangeAsync(-8, 8, cancellationToken);
        if (sample.File.Size < 12 || !tail.AsSpan().EndsWith("PAR1"u8))
        {
            throw new UnreadableFileException(sample.File.Path,
                $"starts with the Parquet magic but does not end with it ({sample.File.Size} bytes): truncated or corrupt.");
        }

        return new Classification(Format, null, new Dictionary<string, string>(), Name);
    }
}
