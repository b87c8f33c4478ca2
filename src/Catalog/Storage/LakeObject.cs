namespace Streams.Catalog.Storage;

/// <summary>A lake file's metadata.</summary>
/// <param name="Path">The full location.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="ETag">An entity tag that changes when the content changes (S3's ETag; locally size and time).</param>
/// <param name="LastModified">When the file was last written.</param>
public sealed record LakeObject(string Path, long Size, string ETag, DateTimeOffset LastModified);

/// <summary>One page of a listing.</summary>
/// <param name="Objects">The files, in path order.</param>
/// <param name="ContinuationToken">Where the next page starts; <c>null</c> on the last page.</param>
public sealed record LakeListing(IReadOnlyList<LakeObject> Objects, string? ContinuationToken);
