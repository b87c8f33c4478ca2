using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streams.Streaming.Kafka;
using Streams.Streaming.MicroBatches;
using Streams.Streaming.Topology;

namespace Streams.Streaming;

/// <summary>
/// One streaming pipeline as a Streamiz application (application id = consumer group = the pipeline name,
/// so several processes split the topic's partitions). Each partition's records are gathered into
/// micro-batches and written by the partition's <see cref="IMicroBatchWriter"/>; positions live in PostgreSQL,
/// so neither Kafka's committed offsets nor its transactions carry exactly-once.
/// </summary>
public sealed class SpeedLayer : IAsyncDisposable
{
    private readonly KafkaStream _stream;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;
    private int _disposed;

    /// <summary>Creates the application; <paramref name="writerFor"/> makes the writer of one source partition.</summary>
    public SpeedLayer(string applicationId, string topic, MicroBatchBounds bounds, SpeedLayerOptions options,
        Func<int, IMicroBatchWriter> writerFor, SpeedLayerMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationId);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(options);
        LibrdkafkaNative.Ensure();
        Topic = topic;
        Metrics = metrics ?? new SpeedLayerMetrics();
        var topology = SpeedTopology.Build(topic, partition => new MicroBatchPartition(topic, partition, writerFor(partition), bounds, Metrics));
        var config = Config(applicationId, bounds, options);
        _stream = new KafkaStream(topology, config, new SpeedClientSupplier(config));
        _stream.StateChanged += OnStateChanged;
    }

    /// <summary>The source topic.</summary>
    public string Topic { get; }

    /// <summary>What this process has done so far.</summary>
    public SpeedLayerMetrics Metrics { get; }

    /// <summary>The Streamiz application state (CREATED, REBALANCING, RUNNING, ...).</summary>
    public string State { get; private set; } = "CREATED";

    /// <summary>Completes when the application stops; faults with the error that stopped it.</summary>
    public Task Completion => _stopped.Task;

    /// <summary>Reports this layer's measures to PostgreSQL while it runs, when set (by <see cref="SpeedPipeline.CreateLayer"/>).</summary>
    internal Monitoring.SpeedStatusReporter? Reporter { get; init; }

    /// <summary>Starts consuming.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _stream.StartAsync(cancellationToken);
        Reporter?.Start(Metrics);
    }

    /// <summary>Stops: Streamiz commits every task, which writes every pending micro-batch, then leaves the group.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stream.Dispose();
            _stopped.TrySetResult();
            if (Reporter is not null)
            {
                await Reporter.DisposeAsync();
            }
        }
    }

    private void OnStateChanged(KafkaStream.State old, KafkaStream.State current)
    {
        State = current.ToString();
        if (current == KafkaStream.State.ERROR)
        {
            _stopped.TrySetException(new SpeedLayerException(
                $"The speed layer of topic '{Topic}' stopped: {_fault?.Message ?? "a stream thread failed"}", _fault));
        }
        else if (current == KafkaStream.State.NOT_RUNNING)
        {
            _stopped.TrySetResult();
        }
    }

    private StreamConfig<ByteArraySerDes, ByteArraySerDes> Config(string applicationId, MicroBatchBounds bounds, SpeedLayerOptions options)
    {
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
        {
            ApplicationId = applicationId,
            ClientId = $"{applicationId}-{Environment.MachineName}-{Environment.ProcessId}",
            BootstrapServers = options.Kafka.BootstrapServers,
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            CommitIntervalMs = (long)options.KafkaCommitInterval.TotalMilliseconds,
            // Streamiz's poll gathers records for this whole time (unless it fills MaxPollRecords) before the loop
            // punctuates, so it is the time-bound check's granularity: a quarter of the bound, as the punctuation's.
            PollMs = (long)Math.Clamp(bounds.MaxInterval.TotalMilliseconds / 4, 5, 100),
            NumStreamThreads = options.Threads,
            StateDir = options.StateDirectory,
            Guarantee = ProcessingGuarantee.AT_LEAST_ONCE,
            Logger = new StreamizLoggerFactory(),
            InnerExceptionHandler = e =>
            {
                _fault ??= e;
                return ExceptionHandlerResponse.FAIL;
            },
        };
        if (options.SessionTimeout is { } session)
        {
            config.SessionTimeoutMs = (int)session.TotalMilliseconds;
            config.HeartbeatIntervalMs = (int)Math.Max(100, session.TotalMilliseconds / 5);
        }

        // librdkafka lets a fetch wait up to 500 ms for data; a broker that holds it that long (the embedded one does)
        // makes records arrive in half-second bunches and freshness follow. Within the time bound instead; a
        // property of the user's own (below) still wins.
        config.AddConfig("main.consumer.fetch.wait.max.ms", ((int)Math.Clamp(bounds.MaxInterval.TotalMilliseconds / 2, 10, 500)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in options.Kafka.Properties)
        {
            // Streamiz keeps per-client overrides under prefixes: the main and restore consumers and the producer.
            config.AddConfig("main.consumer." + key, value);
            config.AddConfig("restore.consumer." + key, value);
            config.AddConfig("producer." + key, value);
        }

        return config;
    }
}
