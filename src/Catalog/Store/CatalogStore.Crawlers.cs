using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;
using static Streams.Catalog.Model.CrawlerConstants;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    private const string CrawlerColumns = "definition::text, state, version, last_crawl::text, create_time, update_time";

    private const string RunColumns =
        "id, crawler_name, started, finished, status, error, tables_created, tables_updated, tables_deleted, partitions_added, " +
        "files_read, files_skipped, files_unreadable, files_unclassified, messages::text";

    /// <summary>Creates a crawler after validating its targets and policies.</summary>
    public async Task CreateCrawlerAsync(CrawlerInput input, CancellationToken cancellationToken = default)
    {
        var definition = ToCrawler(input);
        try
        {
            await ExecuteAsync("INSERT INTO catalog.crawlers (name, definition) VALUES ($1, $2)", cancellationToken,
                ("", definition.Name), ("", Jsonb.Of(definition)));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException($"Crawler {definition.Name} already exists.");
        }
    }

    /// <summary>Gets a crawler with its state and last crawl.</summary>
    public async Task<Crawler> GetCrawlerAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Crawler");
        var rows = await QueryAsync($"SELECT {CrawlerColumns} FROM catalog.crawlers WHERE name = $1", ReadCrawler,
            cancellationToken, ("", normalized));
        return rows.Count == 1 ? rows[0] : throw new EntityNotFoundException($"Crawler {normalized} not found.");
    }

    /// <summary>Lists crawlers by name.</summary>
    public async Task<Page<Crawler>> GetCrawlersAsync(int offset, int limit, CancellationToken cancellationToken = default) =>
        ToPage(await QueryAsync($"SELECT {CrawlerColumns} FROM catalog.crawlers ORDER BY name OFFSET $1 LIMIT $2",
            ReadCrawler, cancellationToken, ("", offset), ("", limit + 1)), offset, limit);

    /// <summary>Updates a crawler: fields given in <paramref name="input"/> replace the current ones.</summary>
    /// <exception cref="CrawlerRunningException">The crawler is running.</exception>
    public async Task UpdateCrawlerAsync(CrawlerInput input, CancellationToken cancellationToken = default)
    {
        var current = await GetCrawlerAsync(input.Name ?? "", cancellationToken);
        var merged = new CrawlerInput
        {
            Name = current.Name,
            Role = input.Role ?? current.Role,
            DatabaseName = input.DatabaseName ?? current.DatabaseName,
            Description = input.Description ?? current.Description,
            Targets = input.Targets ?? current.Targets,
            Schedule = input.Schedule ?? current.Schedule?.ScheduleExpression,
            Classifiers = input.Classifiers ?? current.Classifiers,
            TablePrefix = input.TablePrefix ?? current.TablePrefix,
            SchemaChangePolicy = input.SchemaChangePolicy ?? current.SchemaChangePolicy,
            RecrawlPolicy = input.RecrawlPolicy ?? current.RecrawlPolicy,
            Configuration = input.Configuration ?? current.Configuration,
        };
        var definition = ToCrawler(merged);
        var count = await ExecuteAsync(
            "UPDATE catalog.crawlers SET definition = $2, version = version + 1, update_time = now() WHERE name = $1 AND state = 'READY'",
            cancellationToken, ("", definition.Name), ("", Jsonb.Of(definition)));
        if (count == 0)
        {
            throw new CrawlerRunningException($"Crawler {definition.Name} is running; update it when it has finished.");
        }
    }

    /// <summary>Deletes a crawler that is not running.</summary>
    public async Task DeleteCrawlerAsync(string name, CancellationToken cancellationToken = default)
    {
        var crawler = await GetCrawlerAsync(name, cancellationToken);
        if (await ExecuteAsync("DELETE FROM catalog.crawlers WHERE name = $1 AND state = 'READY'", cancellationToken,
                ("", crawler.Name)) == 0)
        {
            throw new CrawlerRunningException($"Crawler {crawler.Name} is running; stop it before deleting it.");
        }
    }

    /// <summary>
    /// Marks a crawler as running and records a new run, atomically: a crawler that is already running (here
    /// or on another host) fails with <see cref="CrawlerRunningException"/>.
    /// </summary>
    public async Task<long> BeginCrawlerRunAsync(string name, CancellationToken cancellationToken = default)
    {
        var crawler = await GetCrawlerAsync(name, cancellationToken);
        var started = DateTimeOffset.UtcNow;
        var ids = await QueryAsync(
            """
            WITH claimed AS (
                UPDATE catalog.crawlers SET state = 'RUNNING' WHERE name = $1 AND state = 'READY' RETURNING name)
            INSERT INTO catalog.crawler_runs (crawler_name, started, status) SELECT name, $2, 'RUNNING' FROM claimed RETURNING id
            """,
            r => r.GetInt64(0), cancellationToken, ("", crawler.Name), ("", started));
        return ids.Count == 1 ? ids[0] : throw new CrawlerRunningException($"Crawler {crawler.Name} is already running.");
    }

    /// <summary>Marks a running crawler as stopping.</summary>
    /// <exception cref="CrawlerNotRunningException">The crawler is not running.</exception>
    public async Task MarkCrawlerStoppingAsync(string name, CancellationToken cancellationToken = default)
    {
        var crawler = await GetCrawlerAsync(name, cancellationToken);
        if (await ExecuteAsync("UPDATE catalog.crawlers SET state = 'STOPPING' WHERE name = $1 AND state = 'RUNNING'",
                cancellationToken, ("", crawler.Name)) == 0)
        {
            throw new CrawlerNotRunningException($"Crawler {crawler.Name} is not running.");
        }
    }

    /// <summary>Records the end of a run with its metrics and returns the crawler to <c>READY</c>.</summary>
    public async Task FinishCrawlerRunAsync(string name, long runId, string status, string? error, CrawlMetrics metrics,
        CancellationToken cancellationToken = default)
    {
        var finished = DateTimeOffset.UtcNow;
        await ExecuteAsync(
            """
            WITH run AS (
                UPDATE catalog.crawler_runs SET finished = $3, status = $4, error = $5, tables_created = $6, tables_updated = $7,
                    tables_deleted = $8, partitions_added = $9, files_read = $10, files_skipped = $11, files_unreadable = $12,
                    files_unclassified = $13, messages = $14
                WHERE id = $2 RETURNING started)
            UPDATE catalog.crawlers SET state = 'READY',
                last_crawl = jsonb_build_object('Status', $4::text, 'ErrorMessage', $5::text,
                    'StartTime', extract(epoch FROM (SELECT started FROM run)))
            WHERE name = $1
            """,
            cancellationToken, ("", name), ("", runId), ("", finished), ("", status), ("", error),
            ("", metrics.TablesCreated), ("", metrics.TablesUpdated), ("", metrics.TablesDeleted), ("", metrics.PartitionsAdded),
            ("", metrics.FilesRead), ("", metrics.FilesSkipped), ("", metrics.FilesUnreadable), ("", metrics.FilesUnclassified),
            ("", Jsonb.Of(metrics.Messages)));
    }

    /// <summary>
    /// Returns crawlers left <c>RUNNING</c> by a host that stopped mid-run to <c>READY</c>, failing their runs.
    /// Called at start, when no run of this host can be in progress.
    /// </summary>
    public Task RecoverInterruptedRunsAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            """
            UPDATE catalog.crawler_runs SET status = 'FAILED', finished = now(), error = 'The host stopped during the run.' WHERE status = 'RUNNING';
            UPDATE catalog.crawlers SET state = 'READY' WHERE state <> 'READY';
            """, cancellationToken);

    /// <summary>The most recent runs of a crawler, newest first.</summary>
    public async Task<IReadOnlyList<CrawlerRun>> GetCrawlerRunsAsync(string name, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync(
            $"SELECT {RunColumns} FROM catalog.crawler_runs WHERE crawler_name = $1 ORDER BY started DESC, id DESC LIMIT $2",
            ReadRun, cancellationToken, ("", NormalizeName(name, "Crawler")), ("", limit));

    /// <summary>Glue metrics of crawlers (all when <paramref name="names"/> is empty): the last finished run and the median runtime.</summary>
    public async Task<IReadOnlyList<CrawlerMetrics>> GetCrawlerMetricsAsync(IReadOnlyList<string> names,
        CancellationToken cancellationToken = default)
    {
        var crawlers = names.Count == 0
            ? (await QueryAsync("SELECT name FROM catalog.crawlers ORDER BY name", r => r.GetString(0), cancellationToken))
            : [.. names.Select(n => NormalizeName(n, "Crawler"))];
        var result = new List<CrawlerMetrics>();
        foreach (var name in crawlers)
        {
            var crawler = await GetCrawlerAsync(name, cancellationToken);
            var runs = (await GetCrawlerRunsAsync(crawler.Name, 100, cancellationToken)).Where(r => r.Finished is not null).ToList();
            var durations = runs.Select(r => (r.Finished!.Value - r.Started).TotalSeconds).Order().ToList();
            var last = runs.FirstOrDefault();
            result.Add(new CrawlerMetrics
            {
                CrawlerName = crawler.Name,
                StillEstimating = crawler.State != Ready,
                LastRuntimeSeconds = last is null ? 0 : (last.Finished!.Value - last.Started).TotalSeconds,
                MedianRuntimeSeconds = durations.Count == 0 ? 0 : durations[durations.Count / 2],
                TablesCreated = last?.TablesCreated ?? 0,
                TablesUpdated = last?.TablesUpdated ?? 0,
                TablesDeleted = last?.TablesDeleted ?? 0,
                PartitionsAdded = last?.PartitionsAdded ?? 0,
                FilesRead = last?.FilesRead ?? 0,
                FilesSkipped = last?.FilesSkipped ?? 0,
                FilesUnreadable = last?.FilesUnreadable ?? 0,
                FilesUnclassified = last?.FilesUnclassified ?? 0,
            });
        }

        return result;
    }

    private static Crawler ToCrawler(CrawlerInput input)
    {
        var name = NormalizeName(input.Name, "Crawler");
        var database = NormalizeName(input.DatabaseName, "Database");
        GlueLimits.Check(input);
        var schedule = string.IsNullOrWhiteSpace(input.Schedule) ? null : CrawlerSchedule.Validate(input.Schedule);
        var targets = input.Targets;
        if ((targets?.S3Targets?.Count ?? 0) + (targets?.JdbcTargets?.Count ?? 0) + (targets?.KafkaTargets?.Count ?? 0) == 0)
        {
            throw new InvalidInputException($"Crawler {name} needs at least one target.");
        }

        foreach (var target in targets!.S3Targets ?? [])
        {
            if (string.IsNullOrEmpty(target.Path))
            {
                throw new InvalidInputException($"Crawler {name}: an S3 target has no Path.");
            }
        }

        var update = input.SchemaChangePolicy?.UpdateBehavior ?? UpdateInDatabase;
        var delete = input.SchemaChangePolicy?.DeleteBehavior ?? DeprecateInDatabase;
        var recrawl = input.RecrawlPolicy?.RecrawlBehavior ?? CrawlEverything;
        if (update is not (UpdateInDatabase or Log))
        {
            throw new InvalidInputException($"UpdateBehavior must be {UpdateInDatabase} or {Log}, not {update}.");
        }

        if (delete is not (DeleteFromDatabase or DeprecateInDatabase or Log))
        {
            throw new InvalidInputException(
                $"DeleteBehavior must be {DeleteFromDatabase}, {DeprecateInDatabase} or {Log}, not {delete}.");
        }

        if (recrawl is not (CrawlEverything or CrawlNewFoldersOnly))
        {
            throw new InvalidInputException($"RecrawlBehavior must be {CrawlEverything} or {CrawlNewFoldersOnly}, not {recrawl}.");
        }

        if (recrawl == CrawlNewFoldersOnly && (update != Log || delete != Log))
        {
            // As in Glue: crawling only new folders cannot see changes or deletions in the old ones.
            throw new InvalidInputException(
                $"{CrawlNewFoldersOnly} requires the SchemaChangePolicy UpdateBehavior and DeleteBehavior to be {Log}.");
        }

        return new Crawler
        {
            Name = name,
            Role = input.Role,
            DatabaseName = database,
            Description = input.Description,
            Targets = targets,
            Classifiers = input.Classifiers ?? [],
            TablePrefix = input.TablePrefix,
            Schedule = schedule is null ? null : new Schedule(schedule, "SCHEDULED"),
            SchemaChangePolicy = new SchemaChangePolicy { UpdateBehavior = update, DeleteBehavior = delete },
            RecrawlPolicy = new RecrawlPolicy { RecrawlBehavior = recrawl },
            Configuration = input.Configuration,
        };
    }

    private static Crawler ReadCrawler(NpgsqlDataReader r) => CatalogJson.Deserialize<Crawler>(r.GetString(0)) with
    {
        State = r.GetString(1),
        Version = r.GetInt64(2),
        LastCrawl = r.IsDBNull(3) ? null : CatalogJson.Deserialize<LastCrawlInfo>(r.GetString(3)),
        CreationTime = r.GetFieldValue<DateTimeOffset>(4),
        LastUpdated = r.GetFieldValue<DateTimeOffset>(5),
    };

    private static CrawlerRun ReadRun(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2),
        r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13),
        CatalogJson.Deserialize<List<string>>(r.GetString(14)));
}
