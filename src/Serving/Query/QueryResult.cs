namespace Streams.Serving.Query;

/// <summary>The result of a read-only query.</summary>
/// <param name="Columns">Column names and PostgreSQL type names, in order.</param>
/// <param name="Rows">Row values (Npgsql's CLR values; null for SQL NULL).</param>
/// <param name="Truncated">True when the query returned more rows than the row limit.</param>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows, bool Truncated);

/// <summary>A result column.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The PostgreSQL type name.</param>
public sealed record QueryColumn(string Name, string Type);
