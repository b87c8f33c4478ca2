namespace Streams.Serving.Query;

/// <summary>Limits of a read-only query.</summary>
public sealed record QueryOptions
{
    /// <summary>The statement timeout; a longer query is cancelled by PostgreSQL.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many rows are returned; the result says when there were more.</summary>
    public int RowLimit { get; init; } = 10_000;
}
