namespace Streams.Formats.Parquet;

/// <summary>
/// A simple predicate, <c>column op constant</c>, used to skip row groups whose statistics prove that no row
/// can match. It does not filter rows inside the row groups it keeps: callers still test each record.
/// </summary>
/// <param name="Column">The field name, or a dotted path through nested records (not through lists or maps).</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The constant, as a CLR value of the record model (e.g. a <see cref="DateTime"/> for a timestamp).</param>
public sealed record ParquetPredicate(string Column, ComparisonOperator Operator, object? Value = null);
