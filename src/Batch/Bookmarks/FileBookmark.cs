namespace Streams.Batch.Bookmarks;

/// <summary>
/// A file a successful run read: how it looked (size, modification time, entity tag), so a later incremental
/// run knows it unchanged, and the event-time range of its records, so a change to it recomputes only the
/// windows it touched.
/// </summary>
/// <param name="Path">The file's location.</param>
/// <param name="Size">Its size when read.</param>
/// <param name="ETag">Its entity tag when read.</param>
/// <param name="Modified">Its modification time when read.</param>
/// <param name="Rows">Rows read from it.</param>
/// <param name="MinTime">The earliest event time of its records, or null (none, or no event time known).</param>
/// <param name="MaxTime">The latest event time of its records, or null.</param>
public sealed record FileBookmark(string Path, long Size, string ETag, DateTimeOffset Modified, long Rows, DateTime? MinTime, DateTime? MaxTime)
{
    /// <summary>True when <paramref name="file"/> is the same version of the file as the one bookmarked.</summary>
    public bool Matches(Streams.Catalog.Storage.LakeObject file) =>
        file.Size == Size && file.ETag == ETag && file.LastModified.ToUnixTimeMilliseconds() == Modified.ToUnixTimeMilliseconds();
}
