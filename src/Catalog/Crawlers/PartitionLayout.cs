using System.Globalization;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// How a file sits in a crawled folder tree: the table folder it belongs to and the partition folders
/// between the table folder and the file. A folder named <c>key=value</c> is a Hive partition (key
/// <c>key</c>); other folders below the table folder are partitions named <c>partition_0</c>,
/// <c>partition_1</c>, ... as Glue names them.
/// </summary>
public static class PartitionLayout
{
    /// <summary>
    /// The table folder (relative to the target, "" for the target itself) and the partition segments of a
    /// file at <paramref name="relativePath"/>. Tables are the target's first-level folders, unless the target
    /// holds files itself or its first level is already partitioned (<paramref name="targetIsTable"/>).
    /// </summary>
    public static (string TableFolder, IReadOnlyList<(string Key, string Value)> Partitions) Locate(string relativePath,
        bool targetIsTable)
    {
        var segments = relativePath.Split('/');
        var folders = segments[..^1];
        var start = targetIsTable || folders.Length == 0 ? 0 : 1;
        var partitions = new List<(string, string)>();
        for (var i = start; i < folders.Length; i++)
        {
            var folder = folders[i];
            var eq = folder.IndexOf('=');
            partitions.Add(eq > 0
                ? (folder[..eq], Uri.UnescapeDataString(folder[(eq + 1)..]))
                : ($"partition_{i - start}", folder));
        }

        return (start == 0 ? "" : folders[0], partitions);
    }

    /// <summary>The narrowest Glue type all <paramref name="values"/> of a partition key have: int, bigint, date or string.</summary>
    public static string InferType(IEnumerable<string> values)
    {
        var list = values.ToList();
        var invariant = CultureInfo.InvariantCulture;
        if (list.All(v => int.TryParse(v, NumberStyles.AllowLeadingSign, invariant, out _)))
        {
            return "int";
        }

        if (list.All(v => long.TryParse(v, NumberStyles.AllowLeadingSign, invariant, out _)))
        {
            return "bigint";
        }

        return list.All(v => DateOnly.TryParseExact(v, "yyyy-MM-dd", invariant, DateTimeStyles.None, out _)) ? "date" : "string";
    }
}
