using Streams.Registry.Client;
using Streams.Streaming;
using Streams.Streaming.Kafka;

namespace Streams.Jobs.Runs;

/// <summary>A <c>gluestreaming</c> run: the pipeline's speed layer in this host until the run is stopped (or times out).</summary>
internal sealed class StreamingJobExecutor(JobEnvironment environment) : IJobExecutor
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        var streaming = environment.Streaming ?? throw new JobRunException(
            "This host has no Kafka for a streaming job: set Streams:Kafka:BootstrapServers (STREAMS__KAFKA__BOOTSTRAPSERVERS), or run `streams dev`.");
        var (spec, _) = await JobScript.LoadAsync(context, environment.Lake, cancellationToken);
        // A run taken over from a dead host goes on counting from what that host last reported.
        var carried = context.Metrics;
        var registry = streaming.Registry();
        try
        {
            using var pipeline = await SpeedPipeline.CreateAsync(spec, environment.Postgres, registry, new KafkaClientFactory(streaming.Kafka), streaming.Topics,
                environment.Catalog, streaming.Archive, streaming.ArchiveOptions, cancellationToken);
            var layer = pipeline.CreateLayer(new SpeedLayerOptions
            {
                Kafka = streaming.Kafka,
                SessionTimeout = streaming.SessionTimeout,
                KafkaCommitInterval = streaming.KafkaCommitInterval,
                Threads = streaming.Threads,
                StateDirectory = Path.Combine(Path.GetTempPath(), "streams-jobs", context.Run.Id),
            });
            await context.LogAsync($"speed layer of pipeline {spec.Name}: {pipeline.Topic} -> serving.{pipeline.Output.Name}");
            try
            {
                using var registration = streaming.Layers?.Register(spec.Name, layer);
                await layer.StartAsync(CancellationToken.None);
                while (!layer.Completion.IsCompleted && !cancellationToken.IsCancellationRequested)
                {
                    await Task.WhenAny(layer.Completion, Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken)).ContinueWith(_ => { }, TaskScheduler.Default);
                    Report(context, carried, layer.Metrics);
                }
            }
            finally
            {
                // Streamiz commits every task on close: the pending micro-batches are written first.
                await layer.DisposeAsync();
                Report(context, carried, layer.Metrics);
            }

            if (layer.Completion.IsFaulted)
            {
                throw new JobRunException(layer.Completion.Exception!.InnerException!.Message, layer.Completion.Exception.InnerException);
            }

            var total = context.Metrics;
            await context.LogAsync($"speed layer stopped: {total.RecordsIn} records in, {total.RecordsOut} rows out, {total.DeadLetters} dead letters" +
                                   (carried.RecordsIn > 0 ? $" ({layer.Metrics.RecordsIn} records in on this host)" : ""));
        }
        finally
        {
            (registry as IDisposable)?.Dispose();
        }
    }

    private static void Report(JobRunContext context, Model.JobRunMetrics carried, SpeedLayerMetrics layer) =>
        context.Report(carried.RecordsIn + layer.RecordsIn, carried.RecordsOut + layer.RowsOut, carried.DeadLetters + layer.DeadLetters);
}
