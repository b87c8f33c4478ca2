namespace Streams.Catalog.Classifiers;

/// <summary>
/// Avro object container files, recognised by their magic bytes <c>Obj</c> 0x01 (Avro specification,
/// "Object Container Files").
/// </summary>
public sealed class AvroClassifier : IClassifier
{
    /// <summary>The classification name.</summary>
    public const string Format = "avro";

    /// <inheritdoc />
    public string Name => Format;

    /// <inheritdoc />
    public Task<Classification?> ClassifyAsync(FileSample sample, CancellationToken cancellationToken)
    {
        if (!sample.Head.AsSpan().StartsWith("Obj\u0001"u8))
        {
            return Task.FromResult<Classification?>(null);
        }

        return Task.FromResult<Classification?>(new Classification(Format, null, new Dictionary<string, string>(), Name));
    }
}
