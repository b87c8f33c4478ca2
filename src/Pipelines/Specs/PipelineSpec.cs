using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Specs;

/// <summary>
/// One pipeline definition, executed by both the speed layer (over the Kafka source) and the batch
/// layer (over the lake source) with the same transform code. See docs/pipelines.md.
/// </summary>
/// <param name="Name">The pipeline name (letters, digits, '_').</param>
/// <param name="Source">Where records come from in each layer.</param>
/// <param name="Transforms">The transforms, in order.</param>
/// <param name="Window">The event-time window, or null.</param>
/// <param name="Aggregate">The aggregate over the window, or null (both or neither).</param>
/// <param name="Sinks">Where outputs go.</param>
public sealed record PipelineSpec(string Name, SourceSpec Source, IReadOnlyList<Transform> Transforms, WindowSpec? Window,
    AggregateSpec? Aggregate, IReadOnlyList<SinkSpec> Sinks);

/// <summary>The sources of a pipeline: a Kafka topic for the speed layer, a catalog table or lake path for the batch layer.</summary>
/// <param name="Kafka">The speed-layer source, or null.</param>
/// <param name="Batch">The batch-layer source, or null.</param>
/// <param name="SchemaFile">An Avro schema file (.avsc) for sources that carry none (JSON lines), relative to the spec file; or null.</param>
public sealed record SourceSpec(KafkaSourceSpec? Kafka, BatchSourceSpec? Batch, string? SchemaFile);

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

/// <summary>Where one output goes.</summary>
/// <param name="Output">The output: <c>main</c>, or a child output (from relationalize), or <c>dead_letters</c>.</param>
/// <param name="Serving">The serving output (table set and merged view) name, or null.</param>
/// <param name="Keys">Upsert keys of a non-aggregated output (empty: append).</param>
/// <param name="TimeColumn">The time column of a non-aggregated output (aggregates use window_start).</param>
public sealed record SinkSpec(string Output, string? Serving, IReadOnlyList<string> Keys, string? TimeColumn)
{
    /// <summary>The name of the main output.</summary>
    public const string Main = "main";

    /// <summary>Where the spec defines the sink (file, line, column, key path), for messages; empty when built in code.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The name of the dead-letter output.</summary>
    public const string DeadLetters = "dead_letters";
}
