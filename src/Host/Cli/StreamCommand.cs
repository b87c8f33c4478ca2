using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Streams.Host.Api;
using Streams.Host.Configuration;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Streaming;
using Streams.Streaming.Kafka;
using Streams.Streaming.Monitoring;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams stream PIPELINE.yaml</c>: the pipeline's speed layer in the foreground, a progress line
/// (records/s, lag, freshness, dead letters) until Ctrl-C or SIGTERM, which writes the pending
/// micro-batches, leaves the consumer group and exits 0 with a summary table.
/// </summary>
public static class StreamCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("pipeline") { Description = "The pipeline spec (YAML or JSON) with a Kafka source and a serving sink." };
        var postgres = PostgresConnection.CreateOption();
        var registry = new Option<string?>("--registry")
        {
            Description = $"The schema registry's base URL (default: {RegistryCommand.UrlKey}, else {RegistryCommand.DefaultUrl}).",
        };
        var metricsUrl = new Option<string?>("--metrics-url")
        {
            Description = "Serve /metrics (Prometheus) and /api/status at this URL while it runs, e.g. http://127.0.0.1:9464 (off by default).",
        };
        var command = new Command("stream",
            "Run a pipeline's speed layer: consume its Kafka topic in micro-batches into its serving view, exactly once, " +
            "dead-lettering records that fail the schema or a transform. Runs until Ctrl-C/SIGTERM; start it on several hosts to split the partitions.")
        {
            spec, postgres, registry, metricsUrl,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, spec, postgres, registry, metricsUrl, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Argument<FileInfo> specArgument, Option<string?> postgres, Option<string?> registryOption,
        Option<string?> metricsUrlOption, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            var options = StreamsConfiguration.LoadOptions();
            if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
            {
                throw new InvalidOperationException(
                    "No Kafka: set Streams:Kafka:BootstrapServers (STREAMS__KAFKA__BOOTSTRAPSERVERS), or run the command where `streams dev` runs.");
            }

            var spec = await PipelineSpecLoader.LoadFileAsync(result.GetValue(specArgument)!.FullName, stop.Token);
            await using var dataSource = PostgresConnection.Open(result, postgres);
            using var registry = new CachedSchemaRegistryClient(result.GetValue(registryOption) ?? RegistryCommand.ConfiguredUrl());
            var clients = new KafkaClientFactory(options.Kafka);
            var lake = string.IsNullOrWhiteSpace(options.Lake.Root) ? null : Streams.Catalog.Storage.LakeStorage.Create(options.Lake);
            var catalog = lake is null ? null : await CatalogCli.OpenStoreAsync(dataSource, stop.Token);
            using var pipeline = await SpeedPipeline.CreateAsync(spec, dataSource, registry, clients, new TopicManager(clients), catalog, lake,
                new Streams.Streaming.Archive.ArchiveOptions { MaxFileBytes = options.Speed.ArchiveFileBytes, MaxFileAge = options.Speed.ArchiveFileAge },
                stop.Token);
            var layer = pipeline.CreateLayer(new SpeedLayerOptions
            {
                Kafka = options.Kafka,
                SessionTimeout = options.Speed.SessionTimeout,
                KafkaCommitInterval = options.Speed.KafkaCommitInterval,
                Threads = options.Speed.Threads,
                StateDirectory = Path.Combine(Path.GetTempPath(), "streams-speed", $"{spec.Name}-{Environment.ProcessId}"),
            });
            await Console.Error.WriteLineAsync(
                $"streams stream: {spec.Name}: {pipeline.Topic} -> serving.{pipeline.Output.Name} (dead letters: serving.{pipeline.DeadLetterTable.Name}, topic {pipeline.DeadLetterTopic.Name}); " +
                $"micro-batches of {pipeline.Source.MaxBatchRecords} records or {pipeline.Source.MaxBatchInterval.TotalMilliseconds:0} ms; " +
                (pipeline.Archive is { } archive
                    ? $"archive {archive.Folder}" + (archive.CatalogTable is { } table ? $" (catalog table {table.Database}.{table.Table})" : "")
                    : "no lake archive (Streams:Lake:Root is empty)") + ". Ctrl-C stops.");
            var layers = new SpeedLayerRegistry();
            using var registration = layers.Register(spec.Name, layer);
            await using var metricsHost = await StartMetricsAsync(result.GetValue(metricsUrlOption), options, layers, stop.Token);
            var progress = new StreamProgress(spec.Name, layer, clients);
            try
            {
                await layer.StartAsync(CancellationToken.None);
                await progress.RunAsync(stop.Token);
            }
            finally
            {
                // Streamiz commits every task on close: the pending micro-batches are written first.
                await layer.DisposeAsync();
                progress.Dispose();
            }

            if (layer.Completion.IsFaulted)
            {
                await Console.Error.WriteLineAsync($"streams stream: {layer.Completion.Exception!.InnerException!.Message}");
                progress.WriteSummary(Console.Error);
                return 1;
            }

            progress.WriteSummary(Console.Out);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is PipelineSpecException or TopicException or InvalidOperationException or IOException or KafkaException
                                      or Streams.Registry.SchemaRegistryException or HttpRequestException or Npgsql.NpgsqlException
                                      or Streams.Serving.ServingException or Streams.Formats.Model.SchemaException
                                      or Streams.Streaming.Archive.ArchiveCatalogException)
        {
            await Console.Error.WriteLineAsync($"streams stream: {CliMessages.Of(e)}");
            return 1;
        }
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication?> StartMetricsAsync(string? url, StreamsOptions options, SpeedLayerRegistry layers,
        CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"--metrics-url '{url}' is not an http URL; give one like http://127.0.0.1:9464.");
        }

        var host = MetricsHost.Build(url, options.Kafka, layers);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"--metrics-url {url}: cannot listen there ({e.Message}); pick a free port.", e);
        }

        await Console.Error.WriteLineAsync($"metrics: {url.TrimEnd('/')}/metrics, status: {url.TrimEnd('/')}/api/status");
        return host;
    }

    private sealed class StreamProgress(string pipeline, SpeedLayer layer, KafkaClientFactory clients) : IDisposable
    {
        private readonly TopicWatermarks _watermarks = new(clients);
        private readonly DateTime _started = DateTime.UtcNow;
        private readonly bool _interactive = !Console.IsErrorRedirected;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var lastRecords = 0L;
            var lastAt = DateTime.UtcNow;
            var lastPrinted = DateTime.MinValue;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    if (layer.Completion.IsCompleted)
                    {
                        break;
                    }

                    var now = DateTime.UtcNow;
                    var records = layer.Metrics.RecordsIn;
                    var rate = (records - lastRecords) / Math.Max(0.001, (now - lastAt).TotalSeconds);
                    (lastRecords, lastAt) = (records, now);
                    // Not a terminal: one line every 5 s rather than a line per second in a log.
                    if (!_interactive && now - lastPrinted < TimeSpan.FromSeconds(5))
                    {
                        continue;
                    }

                    lastPrinted = now;
                    var line = $"{layer.State.ToLowerInvariant()}: {records:N0} records ({rate:N0}/s), {layer.Metrics.RowsOut:N0} rows, " +
                               $"{layer.Metrics.DeadLetters:N0} dead letters, {layer.Metrics.PendingRecords:N0} pending, lag {Lag()?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"}, " +
                               $"freshness p50 {Seconds(layer.Metrics.FreshnessQuantile(0.5))} p99 {Seconds(layer.Metrics.FreshnessQuantile(0.99))}, " +
                               $"{layer.Metrics.Partitions.Count} partitions";
                    await Console.Error.WriteAsync(_interactive ? "\r" + line.PadRight(Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 160) : 0) : line + "\n");
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop reporting and let the caller flush.
            }

            if (_interactive)
            {
                await Console.Error.WriteLineAsync();
            }
        }

        public void WriteSummary(TextWriter writer)
        {
            var metrics = layer.Metrics;
            var elapsed = DateTime.UtcNow - _started;
            (string, string)[] rows =
            [
                ("records consumed", metrics.RecordsIn.ToString("N0", CultureInfo.InvariantCulture)),
                ("rows written", metrics.RowsOut.ToString("N0", CultureInfo.InvariantCulture)),
                ("dead letters", metrics.DeadLetters.ToString("N0", CultureInfo.InvariantCulture)),
                ("skipped (committed before)", metrics.SkippedAsCommitted.ToString("N0", CultureInfo.InvariantCulture)),
                ("micro-batches", metrics.Batches.ToString("N0", CultureInfo.InvariantCulture)),
                ("records/s", (metrics.RecordsIn / Math.Max(0.001, elapsed.TotalSeconds)).ToString("N0", CultureInfo.InvariantCulture)),
                ("freshness p50", Seconds(metrics.FreshnessQuantile(0.5))),
                ("freshness p99", Seconds(metrics.FreshnessQuantile(0.99))),
                ("ran for", elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)),
            ];
            var width = rows.Max(r => r.Item1.Length);
            foreach (var (name, value) in rows)
            {
                writer.WriteLine($"{name.PadRight(width)}  {value}");
            }
        }

        public void Dispose() => _watermarks.Dispose();

        private long? Lag() => SpeedLayerRegistry.StatusOf(pipeline, layer, _watermarks, DateTime.UtcNow).Lag;

        private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.000s", CultureInfo.InvariantCulture) : "-";
    }
}
