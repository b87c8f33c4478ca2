using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>Historical data: a catalog table (<c>database.table</c>) or a lake path, and its format.</summary>
/// <param name="Table">The catalog table, or null.</param>
/// <param name="Path">The lake path (relative to Streams:Lake:Root), or null.</param>
/// <param name="Format">avro, parquet, jsonl or csv; null to take the catalog's or the file extension's.</param>
/// <param name="Where">A partition predicate in Glue's push_down_predicate syntax (<c>dt &gt;= '2026-01-01'</c>), or null for every partition.</param>
/// <param name="Bookmarks">Job bookmarks: <c>enable</c> (incremental runs read only new and changed files), <c>disable</c> or <c>pause</c>.</param>
public sealed record BatchSourceSpec(string? Table, string? Path, string? Format, string? Where = null, string Bookmarks = BatchSourceSpec.BookmarksDisable)
{
    /// <summary>Bookmarks kept: an incremental run reads what changed since the last successful run and advances the bookmark.</summary>
    public const string BookmarksEnable = "enable";

    /// <summary>No bookmarks: every run reads every file.</summary>
    public const string BookmarksDisable = "disable";

    /// <summary>Incremental runs read what changed since the bookmark but leave it where it is.</summary>
    public const string BookmarksPause = "pause";
}
