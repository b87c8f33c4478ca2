using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Catalog.Classifiers;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using static Streams.Catalog.Model.CrawlerConstants;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// Runs crawlers: in the background for the API's StartCrawler, or in the foreground with progress for the
/// CLI. A run is recorded with its metrics; a crawler runs at most once at a time (the store enforces it
/// across hosts).
/// </summary>
public sealed class CrawlerService(CatalogStore store, LakeStorageProvider lake, ILogger<CrawlerService>? logger = null,
    IKafkaTopicLister? kafkaTopics = null)
{
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cancel, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    // One client for registry calls: HttpClient is meant to be shared (connection pooling).
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Checks, before a crawler is stored, that each of its lake targets (<c>S3Targets</c>) names a path inside the
    /// lake, so a target such as <c>/etc</c> or <c>lake/../../etc</c> is refused at once rather than at its first run.
    /// </summary>
    /// <exception cref="InvalidInputException">A path leaves the lake root, or no lake is configured.</exception>
    public void CheckTargets(string crawlerName, CrawlerTargets? targets)
    {
        // A target with a connection is crawled through that connection's storage, not the lake.
        foreach (var path in (targets?.S3Targets ?? []).Where(t => string.IsNullOrEmpty(t.ConnectionName)).Select(t => t.Path).OfType<string>())
        {
            ILakeStorage storage;
            try
            {
                storage = lake.Storage;
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidInputException($"Crawler {crawlerName}: target '{path}' needs a lake. {e.Message}");
            }

            try
            {
                storage.Normalize(path);
            }
            catch (LakePathException e)
            {
                throw new InvalidInputException($"Crawler {crawlerName}: {e.Message}");
            }
        }
    }

    /// <summary>Starts a run in the background; <paramref name="progress"/> (optional) hears how it goes.</summary>
    /// <exception cref="CrawlerRunningException">The crawler is running.</exception>
    public async Task StartAsync(string name, CancellationToken cancellationToken = default, IProgress<CrawlProgress>? progress = null)
    {
        var crawler = await store.GetCrawlerAsync(name, cancellationToken);
        var runId = await store.BeginCrawlerRunAsync(crawler.Name, cancellationToken);
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                await ExecuteAsync(crawler.Name, runId, progress, cancel.Token);
            }
            finally
            {
                _running.TryRemove(crawler.Name, out _);
                cancel.Dispose();
            }
        }, CancellationToken.None);
        _running[crawler.Name] = (cancel, run);
        started.SetResult();
    }

    /// <summary>Runs a crawler to the end and returns the recorded run.</summary>
    public async Task<CrawlerRun> RunAsync(string name, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        var crawler = await store.GetCrawlerAsync(name, cancellationToken);
        var runId = await store.BeginCrawlerRunAsync(crawler.Name, cancellationToken);
        await ExecuteAsync(crawler.Name, runId, progress, cancellationToken);
        return (await store.GetCrawlerRunsAsync(crawler.Name, 1, CancellationToken.None))[0];
    }

    /// <summary>Asks a running crawler to stop.</summary>
    /// <exception cref="CrawlerNotRunningException">The crawler is not running.</exception>
    public async Task StopAsync(string name, CancellationToken cancellationToken = default)
    {
        await store.MarkCrawlerStoppingAsync(name, cancellationToken);
        if (_running.TryGetValue(name.ToLowerInvariant(), out var run))
        {
            await run.Cancel.CancelAsync();
        }
    }

    /// <summary>Waits for a background run of <paramref name="name"/> started here, if any.</summary>
    public Task WaitAsync(string name) =>
        _running.TryGetValue(name.ToLowerInvariant(), out var run) ? run.Run : Task.CompletedTask;

    /// <summary>Cancels every background run and waits for them (host shutdown).</summary>
    public async Task StopAllAsync()
    {
        foreach (var (_, run) in _running)
        {
            await run.Cancel.CancelAsync();
        }

        await Task.WhenAll(_running.Values.Select(r => r.Run));
    }

    private async Task ExecuteAsync(string name, long runId, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        var metrics = new CrawlMetrics();
        string status = Succeeded;
        string? error = null;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchForStopAsync(name, run);
        try
        {
            var crawler = await store.GetCrawlerAsync(name, run.Token);
            await CrawlAsync(crawler, metrics, progress, run.Token);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            status = Cancelled;
        }
        catch (Exception e)
        {
            status = Failed;
            error = e.Message;
            _logger.LogWarning(e, "Crawler {Crawler} failed", name);
        }
        finally
        {
            await run.CancelAsync();
            await watch;
            await store.FinishCrawlerRunAsync(name, runId, status, error, metrics, CancellationToken.None);
        }
    }

    /// <summary>
    /// Cancels <paramref name="run"/> when the crawler's state turns <c>STOPPING</c>, so that a StopCrawler
    /// received by another host (or while the CLI runs the crawl) stops this run.
    /// </summary>
    private async Task WatchForStopAsync(string name, CancellationTokenSource run)
    {
        try
        {
            while (!run.IsCancellationRequested)
            {
                await Task.Delay(StopPollInterval, run.Token);
                if ((await store.GetCrawlerAsync(name, run.Token)).State == Stopping)
                {
                    // Said before cancelling: a stop from elsewhere is otherwise only visible as a CANCELLED run.
                    _logger.LogInformation(StopSeen, "Crawler {Crawler} is stopping: the catalog holds a stop request", name);
                    await run.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was stopped.
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or CatalogException)
        {
            _logger.LogWarning(e, "Watching crawler {Crawler} for a stop failed; it can only be stopped on this host", name);
        }
    }

    private static readonly TimeSpan StopPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The event logged when a run sees its crawler's stop request in the catalog and cancels itself.</summary>
    public static readonly EventId StopSeen = new(1, nameof(StopSeen));

    private async Task CrawlAsync(Crawler crawler, CrawlMetrics metrics, IProgress<CrawlProgress>? progress,
        CancellationToken cancellationToken)
    {
        await store.GetDatabaseAsync(crawler.DatabaseName!, cancellationToken);
        var custom = new List<Classifier>();
        foreach (var classifierName in crawler.Classifiers ?? [])
        {
            custom.Add(await store.GetClassifierAsync(classifierName, cancellationToken));
        }

        var classifiers = ClassifierFactory.Create(custom);
        var writer = new CatalogWriter(store, crawler, metrics);
        var everything = crawler.RecrawlPolicy?.RecrawlBehavior != CrawlNewFoldersOnly;
        var targets = crawler.Targets ?? new CrawlerTargets();
        foreach (var target in targets.S3Targets ?? [])
        {
            using var connectionStorage = target.ConnectionName is { } connectionName
                ? await ConnectionStorageAsync(connectionName, cancellationToken)
                : null;
            var storage = connectionStorage ?? lake.Storage;
            var known = everything ? new HashSet<string>() : await KnownFoldersAsync(crawler, cancellationToken);
            var tables = await new LakeCrawler(storage, classifiers, crawler, metrics, progress).CrawlAsync(target, known, cancellationToken);
            foreach (var table in tables)
            {
                await writer.WriteAsync(table, everything, cancellationToken);
            }
        }

        foreach (var target in targets.JdbcTargets ?? [])
        {
            progress?.Report(new CrawlProgress(0, 0, $"PostgreSQL {target.Path}"));
            var connection = await store.GetConnectionPropertiesAsync(
                target.ConnectionName ?? throw new InvalidInputException("A JDBC target needs a ConnectionName."), cancellationToken);
            foreach (var table in await new PostgresCrawler(crawler, metrics).CrawlAsync(target, connection, cancellationToken))
            {
                await writer.WriteAsync(table, everything, cancellationToken);
            }
        }

        foreach (var target in targets.KafkaTargets ?? [])
        {
            progress?.Report(new CrawlProgress(0, 0, $"Kafka {string.Join(", ", target.Topics ?? [])}"));
            var connection = await store.GetConnectionPropertiesAsync(
                target.ConnectionName ?? throw new InvalidInputException("A Kafka target needs a ConnectionName."), cancellationToken);
            foreach (var table in await new KafkaCrawler(crawler, metrics, Http, kafkaTopics).CrawlAsync(target, connection, cancellationToken))
            {
                await writer.WriteAsync(table, everything, cancellationToken);
            }
        }

        if (everything)
        {
            await writer.HandleMissingTablesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The S3 storage an <c>S3</c> connection describes: <c>LAKE_ROOT</c> (the <c>s3://bucket/prefix</c> its paths
    /// must stay under), <c>S3_ENDPOINT</c>, <c>REGION</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>S3_FORCE_PATH_STYLE</c> (default true).
    /// </summary>
    private async Task<S3LakeStorage> ConnectionStorageAsync(string name, CancellationToken cancellationToken)
    {
        var properties = await store.GetConnectionPropertiesAsync(name, cancellationToken);
        var root = properties.GetValueOrDefault("LAKE_ROOT")
                   ?? throw new InvalidInputException($"Connection {name} has no LAKE_ROOT (s3://bucket/prefix) for S3 targets.");
        return new S3LakeStorage(root, new S3Options
        {
            ServiceUrl = properties.GetValueOrDefault("S3_ENDPOINT", ""),
            Region = properties.GetValueOrDefault("REGION", "us-east-1"),
            AccessKey = properties.GetValueOrDefault("AWS_ACCESS_KEY_ID", ""),
            SecretKey = properties.GetValueOrDefault("AWS_SECRET_ACCESS_KEY", ""),
            ForcePathStyle = !string.Equals(properties.GetValueOrDefault("S3_FORCE_PATH_STYLE"), "false", StringComparison.OrdinalIgnoreCase),
        });
    }

    private async Task<HashSet<string>> KnownFoldersAsync(Crawler crawler, CancellationToken cancellationToken)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var tables = Pages.ReadAllAsync((offset, c) => store.GetTablesAsync(crawler.DatabaseName!, null, offset, 100, c), cancellationToken);
        await foreach (var table in tables)
        {
            if (table.StorageDescriptor?.Location is { } location && (table.PartitionKeys?.Count ?? 0) == 0)
            {
                folders.Add(location.TrimEnd('/'));
            }

            foreach (var partition in await store.GetAllPartitionsAsync(crawler.DatabaseName!, table.Name, cancellationToken))
            {
                if (partition.StorageDescriptor?.Location is { } partitionLocation)
                {
                    folders.Add(partitionLocation.TrimEnd('/'));
                }
            }
        }

        return folders;
    }
}
