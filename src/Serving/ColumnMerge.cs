namespace Streams.Serving;

/// <summary>
/// How a column of a keyed serving table combines an existing row with a new row of the same key
/// (upsert). Aggregates written as partial states (per micro-batch) merge by their kind, so that a
/// window's value is the same whether it arrived in one write or many.
/// </summary>
public abstract record ColumnMerge
{
    private ColumnMerge()
    {
    }

    /// <summary>The new value replaces the old one.</summary>
    public static ColumnMerge Replace { get; } = new ReplaceMerge();

    /// <summary>Old + new (counts, sums); null counts as absent.</summary>
    public static ColumnMerge Add { get; } = new AddMerge();

    /// <summary>The smaller of the two, ignoring nulls.</summary>
    public static ColumnMerge Least { get; } = new LeastMerge();

    /// <summary>The larger of the two, ignoring nulls.</summary>
    public static ColumnMerge Greatest { get; } = new GreatestMerge();

    /// <summary>A JSON array used as a set: the union of both (exact count distinct).</summary>
    public static ColumnMerge SetUnion { get; } = new SetUnionMerge();

    /// <summary>The value of the row whose <paramref name="OrderColumn"/> is smaller (first).</summary>
    public sealed record Earliest(string OrderColumn) : ColumnMerge;

    /// <summary>The value of the row whose <paramref name="OrderColumn"/> is larger (last).</summary>
    public sealed record Latest(string OrderColumn) : ColumnMerge;

    /// <summary>merged(<paramref name="Numerator"/>) / merged(<paramref name="Denominator"/>) (average).</summary>
    public sealed record Ratio(string Numerator, string Denominator) : ColumnMerge;

    /// <summary>The number of elements of merged(<paramref name="SetColumn"/>) (count distinct).</summary>
    public sealed record SetSize(string SetColumn) : ColumnMerge;

    private sealed record ReplaceMerge : ColumnMerge;

    private sealed record AddMerge : ColumnMerge;

    private sealed record LeastMerge : ColumnMerge;

    private sealed record GreatestMerge : ColumnMerge;

    private sealed record SetUnionMerge : ColumnMerge;
}
