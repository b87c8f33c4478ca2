namespace Streams.Formats.Parquet;

/// <summary>The comparisons a <see cref="ParquetPredicate"/> supports.</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    IsNotNull,
}
