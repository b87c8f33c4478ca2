namespace Streams.Catalog.Storage;

/// <summary>Creates the <see cref="ILakeStorage"/> that <see cref="LakeOptions"/> describe.</summary>
public static class LakeStorage
{
    /// <summary>An S3 storage for an <c>s3://</c> root, otherwise a local directory storage.</summary>
    /// <exception cref="InvalidOperationException">No root is configured.</exception>
    public static ILakeStorage Create(LakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            throw new InvalidOperationException("No lake is configured: set Streams:Lake:Root to a directory or an s3://bucket/prefix.");
        }

        return options.Root.StartsWith("s3://", StringComparison.Ordinal) || options.Root.StartsWith("s3a://", StringComparison.Ordinal)
            ? new S3LakeStorage(options.Root, options.S3)
            : new LocalLakeStorage(options.Root);
    }
}
