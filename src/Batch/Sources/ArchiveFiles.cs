using System.Globalization;
using System.Text.RegularExpressions;
using Streams.Catalog.Storage;

namespace Streams.Batch.Sources;

/// <summary>
/// Reads of the speed layer's lake archive that stay exact while the stream rolls it. The archive names each file by
/// Kafka partition and offset range, <c>p&lt;partition&gt;-&lt;first&gt;-&lt;last&gt;.parquet</c> (LakeArchive.PathOf
/// in Streams.Streaming), and rolls a partition's segments of one hour folder into one file covering their ranges,
/// written before the segments are deleted: a listing taken meanwhile holds the rolled file and its segments. Per
/// folder and partition, the backfill reads a set of files whose offset ranges do not overlap, preferring the rolled
/// file (the widest range starting first) over the segments it covers.
/// </summary>
public static partial class ArchiveFiles
{
    /// <summary>
    /// <paramref name="files"/> without the archive files whose offset range overlaps one kept for the same folder and
    /// partition; files not named like archive files are all kept, in order.
    /// </summary>
    public static List<LakeObject> WithoutOverlaps(IReadOnlyList<LakeObject> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var dropped = new HashSet<LakeObject>(ReferenceEqualityComparer.Instance);
        var archived = files
            .Select(f => (File: f, Match: Name().Match(f.Path)))
            .Where(f => f.Match.Success)
            .Select(f => (f.File, Folder: f.File.Path[..f.Match.Index], Partition: f.Match.Groups[1].Value,
                First: long.Parse(f.Match.Groups[2].Value, CultureInfo.InvariantCulture), Last: long.Parse(f.Match.Groups[3].Value, CultureInfo.InvariantCulture)))
            .GroupBy(f => (f.Folder, int.Parse(f.Partition, CultureInfo.InvariantCulture)));
        foreach (var group in archived)
        {
            var end = long.MinValue;
            foreach (var file in group.OrderBy(f => f.First).ThenByDescending(f => f.Last))
            {
                if (file.First > end)
                {
                    end = file.Last;
                }
                else
                {
                    dropped.Add(file.File);
                }
            }
        }

        return dropped.Count == 0 ? [.. files] : [.. files.Where(f => !dropped.Contains(f))];
    }

    [GeneratedRegex(@"[/\\]p(\d+)-(\d+)-(\d+)\.parquet$")]
    private static partial Regex Name();
}
