namespace Streams.Pipelines.Windows;

/// <summary>The aggregate functions.</summary>
public enum AggregateFunction
{
    Count,
    Sum,
    Min,
    Max,
    Avg,
    CountDistinct,
    First,
    Last,
}
