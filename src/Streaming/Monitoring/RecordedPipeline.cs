namespace Streams.Streaming.Monitoring;

/// <summary>A speed-layer pipeline as recorded when it last started (<c>streaming.pipelines</c>).</summary>
/// <param name="Name">The pipeline.</param>
/// <param name="Topic">Its source topic.</param>
/// <param name="Output">Its serving output.</param>
/// <param name="Spec">The spec text it started with, or null (recorded by an older host, or a spec built in code).</param>
/// <param name="SchemaFile">The full path of the reader schema file its spec names, or null when the registry gives the schema.</param>
/// <param name="StartedAt">When it last started (UTC).</param>
public sealed record RecordedPipeline(string Name, string Topic, string Output, string? Spec, string? SchemaFile, DateTime StartedAt);
