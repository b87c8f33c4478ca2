namespace Streams.Catalog.Storage;

/// <summary>
/// The lake's files, on a local directory or S3. Paths are full lake locations: an absolute local path under
/// the root directory, or <c>s3://bucket/key</c> under the root bucket and prefix. A path outside the root
/// fails with <see cref="LakePathException"/>.
/// </summary>
public interface ILakeStorage
{
    /// <summary>The root location (normalized), e.g. <c>/data/lake</c> or <c>s3://bucket/prefix</c>.</summary>
    string Root { get; }

    /// <summary>
    /// The canonical location of <paramref name="path"/> (an absolute local path, or <c>s3://bucket/key</c>),
    /// without a trailing separator.
    /// </summary>
    /// <exception cref="LakePathException">The path is outside the root.</exception>
    string Normalize(string path);

    /// <summary>
    /// Lists the files under <paramref name="prefix"/> (a folder: its whole subtree), in path order, one page of
    /// at most <paramref name="pageSize"/> files after <paramref name="continuationToken"/>.
    /// </summary>
    Task<LakeListing> ListAsync(string prefix, string? continuationToken = null, int pageSize = 1000,
        CancellationToken cancellationToken = default);

    /// <summary>The metadata of one file, or <c>null</c> when it does not exist.</summary>
    Task<LakeObject?> GetAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="length"/> bytes from <paramref name="offset"/> (fewer at the end of the file). A negative
    /// <paramref name="offset"/> counts from the end (the last <paramref name="length"/> bytes when -length).
    /// </summary>
    Task<byte[]> ReadAsync(string path, long offset, int length, CancellationToken cancellationToken = default);

    /// <summary>Opens the whole file for reading.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a file atomically: readers see the old content or the new one, never a part (a temporary file
    /// renamed into place locally; a single PUT on S3).
    /// </summary>
    Task<LakeObject> WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file; no error when it does not exist.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
}
