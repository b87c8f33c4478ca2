using System.Text;

namespace Streams.Catalog.Store;

/// <summary>
/// One of <see cref="TotalSegments"/> disjoint parts of a table's partitions (Glue's <c>Segment</c> of
/// <c>GetPartitions</c>), so that parallel readers each read a partition exactly once. A partition belongs to the
/// segment its values hash to, so the split does not move partitions when others are added or removed.
/// </summary>
public sealed record PartitionSegment
{
    /// <summary>The most segments Glue allows.</summary>
    public const int MaxTotalSegments = 10;

    /// <summary>Creates segment <paramref name="segmentNumber"/> of <paramref name="totalSegments"/>.</summary>
    /// <exception cref="InvalidInputException">The numbers are out of Glue's ranges.</exception>
    public PartitionSegment(int segmentNumber, int totalSegments)
    {
        if (totalSegments is < 1 or > MaxTotalSegments)
        {
            throw new InvalidInputException($"TotalSegments must be from 1 to {MaxTotalSegments}, got {totalSegments}.");
        }

        if (segmentNumber < 0 || segmentNumber >= totalSegments)
        {
            throw new InvalidInputException($"SegmentNumber must be from 0 to {totalSegments - 1}, got {segmentNumber}.");
        }

        SegmentNumber = segmentNumber;
        TotalSegments = totalSegments;
    }

    /// <summary>This segment's number, from 0.</summary>
    public int SegmentNumber { get; }

    /// <summary>How many segments the partitions are split into.</summary>
    public int TotalSegments { get; }

    /// <summary>Whether the partition with <paramref name="values"/> is in this segment.</summary>
    public bool Contains(IReadOnlyList<string> values) => (int)(Hash(values) % (uint)TotalSegments) == SegmentNumber;

    // FNV-1a over the UTF-8 values, each followed by a 0xFF byte (never in UTF-8) so that ("ab","c") and ("a","bc")
    // differ: stable across processes and versions, unlike string.GetHashCode.
    private static uint Hash(IReadOnlyList<string> values)
    {
        var hash = 2166136261u;
        foreach (var value in values)
        {
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                hash = (hash ^ b) * 16777619u;
            }

            hash = (hash ^ 0xFF) * 16777619u;
        }

        return hash;
    }
}
