using Npgsql;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Streaming.DeadLetters;

namespace Streams.Streaming.MicroBatches;

/// <summary>
/// Writes one source partition's micro-batches through the pipeline: the schema is enforced
/// (<see cref="SchemaEnforcer"/>), the accepted records go through the execution seam's
/// <see cref="PipelineDriver"/> (the same transform, window and serving code as the batch layer), and the
/// driver's step commits rows, state, this partition's position and the batch's dead letters together
/// (<see cref="PartitionServingSink"/>). State is kept per partition (state key <c>output/topic/partition</c>):
/// a partition's window watermark and deduplicate keys move with it when it is reassigned. The accepted records
/// also go to the lake archive, when the pipeline has one.
/// </summary>
public sealed class PipelineMicroBatchWriter : IMicroBatchWriter
{
    private readonly SpeedPipeline _pipeline;
    private readonly int _partition;
    private readonly PartitionServingSink _sink;
    private readonly PipelineDriver _driver;

    internal PipelineMicroBatchWriter(SpeedPipeline pipeline, int partition)
    {
        _pipeline = pipeline;
        _partition = partition;
        var output = pipeline.Output;
        var serving = new ServingSpeedSink(pipeline.DataSource, output, stateKey: $"{output.Name}/{pipeline.Topic}/{partition}",
            deadLetterPipeline: null, pipeline.Catalog);
        _sink = new PartitionServingSink(pipeline.DataSource, serving, pipeline.Topic, partition, pipeline.DeadLetterTable, pipeline.DeadLetterTopic);
        var runner = new PipelineRunner(pipeline.Spec, PipelineMode.Speed, new PipelineEnvironment(pipeline.DataSource));
        _driver = new PipelineDriver(runner, [_sink]);
    }

    /// <inheritdoc />
    public async Task<long?> OpenAsync(CancellationToken cancellationToken)
    {
        await _driver.StartAsync(cancellationToken);
        if (_pipeline.Archive is { } archive)
        {
            await archive.RemoveUncommittedAsync(_partition, _sink.Committed ?? 0, cancellationToken);
        }

        return _sink.Committed;
    }

    /// <inheritdoc />
    public async Task<MicroBatchResult> WriteAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken)
    {
        var (accepted, rejected) = await _pipeline.Enforcer.EnforceAsync(records);
        if (_pipeline.Archive is { } archive)
        {
            // Before the commit: a crash after it must not lose the archive's copy (the next open removes a copy whose batch never committed).
            await archive.WriteAsync(_partition, accepted, records, cancellationToken);
        }

        _sink.Begin(records, rejected);
        var next = new SourcePosition(_pipeline.Topic, _partition, records[^1].Offset + 1);
        await _driver.ProcessAsync(new SourceBatch(accepted, [next]), cancellationToken);
        if (_pipeline.Archive is { } committed)
        {
            await committed.RollAsync(_partition, force: false, cancellationToken);
        }

        return new MicroBatchResult(records.Count, _sink.LastRows, _sink.LastDeadLetters, DateTime.UtcNow);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_pipeline.Archive is { } archive)
        {
            await archive.CloseAsync(_partition, CancellationToken.None);
        }

        await _sink.DisposeAsync();
    }
}
