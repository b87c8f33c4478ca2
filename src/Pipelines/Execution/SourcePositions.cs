using Streams.Formats.Model;

namespace Streams.Pipelines.Execution;

/// <summary>Sets of committed positions: one per source partition, the furthest wins.</summary>
internal static class SourcePositions
{
    public static IReadOnlyList<SourcePosition> Merge(IReadOnlyList<SourcePosition> committed, IReadOnlyList<SourcePosition> reached)
    {
        if (reached.Count == 0)
        {
            return committed;
        }

        var merged = committed.ToDictionary(p => (p.Source, p.Partition));
        foreach (var position in reached)
        {
            if (!merged.TryGetValue((position.Source, position.Partition), out var existing) || position.Offset > existing.Offset)
            {
                merged[(position.Source, position.Partition)] = position;
            }
        }

        return [.. merged.Values.OrderBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Partition)];
    }

    /// <summary>True when every position of <paramref name="reached"/> is already committed: the batch was applied before a restart.</summary>
    public static bool AllCommitted(IReadOnlyList<SourcePosition> committed, IReadOnlyList<SourcePosition> reached) =>
        reached.Count > 0 && reached.All(p => committed.Any(c => c.Source == p.Source && c.Partition == p.Partition && c.Offset >= p.Offset));
}
