using Streams.Catalog.Model;
using Streams.Formats.Model;

namespace Streams.Batch.Sources;

/// <summary>What a backfill reads: the files of the partitions the predicate kept, and how to read them.</summary>
/// <param name="Description">The table (<c>db.table</c>) or the lake location, for messages.</param>
/// <param name="Location">The root location of the data.</param>
/// <param name="PartitionKeys">The partition keys (from the catalog, or the <c>k=v/</c> folders of a lake path).</param>
/// <param name="Partitions">The partitions kept, in value order.</param>
/// <param name="Pruned">The locations of the partitions the predicate left out (no file under them was listed).</param>
/// <param name="Files">The data files of the kept partitions, in path order.</param>
/// <param name="Schema">The record schema the catalog declares (data columns only), or null for a lake path.</param>
public sealed record ResolvedSource(string Description, string Location, IReadOnlyList<Column> PartitionKeys,
    IReadOnlyList<SourcePartition> Partitions, IReadOnlyList<string> Pruned, IReadOnlyList<LakeFile> Files, RecordSchema? Schema)
{
    /// <summary>How many partitions the predicate left out.</summary>
    public int PrunedPartitions => Pruned.Count;

    /// <summary>
    /// True when a file at <paramref name="path"/> belongs to what this source covers: under its location and
    /// not in a partition the predicate left out (a file there that is no longer listed was removed).
    /// </summary>
    public bool Covers(string path) =>
        path.StartsWith(Location.TrimEnd('/') + "/", StringComparison.Ordinal)
        && !Pruned.Any(p => path.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary>The total size of the files.</summary>
    public long Bytes => Files.Sum(f => f.Object.Size);
}
