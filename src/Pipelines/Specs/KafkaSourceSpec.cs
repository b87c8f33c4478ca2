using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>A Kafka topic whose values are Avro in the Confluent wire format, checked against a registry subject.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Subject">The registry subject (default <c>topic-value</c>).</param>
/// <param name="MaxBatchRecords">A micro-batch is written once it holds this many records of one partition.</param>
/// <param name="MaxBatchInterval">...or once its first record has waited this long.</param>
public sealed record KafkaSourceSpec(string Topic, string Subject, int MaxBatchRecords = KafkaSourceSpec.DefaultMaxBatchRecords,
    TimeSpan MaxBatchInterval = default)
{
    /// <summary>The default record bound of a micro-batch.</summary>
    public const int DefaultMaxBatchRecords = 5000;

    /// <summary>The default time bound of a micro-batch.</summary>
    public static readonly TimeSpan DefaultMaxBatchInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The time bound, <see cref="DefaultMaxBatchInterval"/> when none was given.</summary>
    public TimeSpan MaxBatchInterval { get; init; } = MaxBatchInterval == default ? DefaultMaxBatchInterval : MaxBatchInterval;
}
