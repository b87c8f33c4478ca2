using Npgsql;

namespace Streams.Streaming.Monitoring;

/// <summary>
/// Reports one running speed layer's own measures (records/s, freshness p50/p99) to PostgreSQL every
/// <see cref="Interval"/> (<see cref="SpeedStatusStore.ReportAsync"/>), so <c>streams status</c> and the console show them
/// whichever process runs the pipeline; on dispose the report is removed.
/// </summary>
internal sealed class SpeedStatusReporter : IAsyncDisposable
{
    /// <summary>How often the measures are stored.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _pipeline;
    private readonly string _process = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public SpeedStatusReporter(NpgsqlDataSource dataSource, string pipeline)
    {
        _dataSource = dataSource;
        _pipeline = pipeline;
    }

    /// <summary>Starts reporting <paramref name="metrics"/>.</summary>
    public void Start(SpeedLayerMetrics metrics) => _loop = RunAsync(metrics, _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        try
        {
            await SpeedStatusStore.RemoveReportAsync(_dataSource, _pipeline, _process);
        }
        catch (NpgsqlException)
        {
            // The report expires by itself (SpeedStatusStore.ReportLifetime).
        }

        _stop.Dispose();
    }

    private async Task RunAsync(SpeedLayerMetrics metrics, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await SpeedStatusStore.ReportAsync(_dataSource, _pipeline, _process, metrics.RecordsPerSecond(DateTime.UtcNow),
                        metrics.FreshnessQuantile(0.5), metrics.FreshnessQuantile(0.99), cancellationToken);
                }
                catch (NpgsqlException)
                {
                    // A status report is not worth stopping the pipeline for; the micro-batches meet PostgreSQL's trouble themselves.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
