using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>The sources of a pipeline: a Kafka topic for the speed layer, a catalog table or lake path for the batch layer.</summary>
/// <param name="Kafka">The speed-layer source, or null.</param>
/// <param name="Batch">The batch-layer source, or null.</param>
/// <param name="SchemaFile">An Avro schema file (.avsc) for sources that carry none (JSON lines), relative to the spec file; or null.</param>
public sealed record SourceSpec(KafkaSourceSpec? Kafka, BatchSourceSpec? Batch, string? SchemaFile);
