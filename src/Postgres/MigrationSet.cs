using Npgsql;

namespace Streams.Postgres;

/// <summary>
/// The numbered migrations of one PostgreSQL schema that a store owns (<c>registry</c>, <c>catalog</c>,
/// <c>serving</c>, ...). Migration <c>n</c> is <see cref="Steps"/>[n - 1]; a released step never changes, a change
/// is a new step appended at the end.
/// </summary>
/// <param name="Schema">The schema the steps create objects in; its <c>migrations</c> table records the steps applied.</param>
/// <param name="Steps">The SQL of each migration, in order.</param>
public sealed record MigrationSet(string Schema, IReadOnlyList<string> Steps)
{
    /// <summary>
    /// Work that runs on every apply after the steps, in the same transaction and under the same lock: for state
    /// that lives outside the schema and can drift from it, such as a login role and its grants.
    /// </summary>
    public Func<NpgsqlConnection, CancellationToken, Task>? EveryRun { get; init; }

    /// <summary>The number of steps this build knows.</summary>
    public int LatestVersion => Steps.Count;
}
