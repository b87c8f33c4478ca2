namespace Streams.Catalog.Model;

/// <summary>A crawler (Glue <c>Crawler</c>): targets to read, the database to write, and its policies.</summary>
public sealed record Crawler
{
    public required string Name { get; init; }
    public string? Role { get; init; }
    public CrawlerTargets? Targets { get; init; }
    public string? DatabaseName { get; init; }
    public string? Description { get; init; }
    public List<string>? Classifiers { get; init; }
    public RecrawlPolicy? RecrawlPolicy { get; init; }
    public SchemaChangePolicy? SchemaChangePolicy { get; init; }
    /// <summary><c>READY</c>, <c>RUNNING</c> or <c>STOPPING</c>.</summary>
    public string? State { get; init; }
    public string? TablePrefix { get; init; }
    public Schedule? Schedule { get; init; }
    public long? CrawlElapsedTime { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public LastCrawlInfo? LastCrawl { get; init; }
    public long? Version { get; init; }
    public string? Configuration { get; init; }
}

/// <summary>Glue <c>CreateCrawler</c>/<c>UpdateCrawler</c> request body.</summary>
public sealed record CrawlerInput
{
    public string? Name { get; init; }
    public string? Role { get; init; }
    public string? DatabaseName { get; init; }
    public string? Description { get; init; }
    public CrawlerTargets? Targets { get; init; }
    public string? Schedule { get; init; }
    public List<string>? Classifiers { get; init; }
    public string? TablePrefix { get; init; }
    public SchemaChangePolicy? SchemaChangePolicy { get; init; }
    public RecrawlPolicy? RecrawlPolicy { get; init; }
    public string? Configuration { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
}

/// <summary>A crawler's schedule (Glue <c>Schedule</c>); kept, not run by the catalog itself.</summary>
public sealed record Schedule(string? ScheduleExpression, string? State);

/// <summary>What a crawler reads.</summary>
public sealed record CrawlerTargets
{
    /// <summary>Lake paths (local directory or <c>s3://</c> under the lake root).</summary>
    public List<S3Target>? S3Targets { get; init; }

    /// <summary>PostgreSQL schemas, as <c>database/schema/%</c> or <c>database/schema/table</c>.</summary>
    public List<JdbcTarget>? JdbcTargets { get; init; }

    /// <summary>Kafka topics whose value schemas are read from the connection's schema registry (a Streams extension).</summary>
    public List<KafkaTarget>? KafkaTargets { get; init; }
}

/// <summary>A lake path with exclude globs (Glue <c>S3Target</c>).</summary>
public sealed record S3Target
{
    public string? Path { get; init; }
    public List<string>? Exclusions { get; init; }
    public string? ConnectionName { get; init; }
    public int? SampleSize { get; init; }
}

/// <summary>A PostgreSQL path (Glue <c>JdbcTarget</c>).</summary>
public sealed record JdbcTarget
{
    public string? ConnectionName { get; init; }
    public string? Path { get; init; }
    public List<string>? Exclusions { get; init; }
}

/// <summary>Kafka topics through a <c>KAFKA</c> connection with a <c>SCHEMA_REGISTRY_URL</c>.</summary>
public sealed record KafkaTarget
{
    public string? ConnectionName { get; init; }
    public List<string>? Topics { get; init; }
}

/// <summary>What a crawler does when a table's schema changed, or its data disappeared.</summary>
public sealed record SchemaChangePolicy
{
    /// <summary><c>UPDATE_IN_DATABASE</c> (default) or <c>LOG</c>.</summary>
    public string? UpdateBehavior { get; init; }

    /// <summary><c>DEPRECATE_IN_DATABASE</c> (default), <c>DELETE_FROM_DATABASE</c> or <c>LOG</c>.</summary>
    public string? DeleteBehavior { get; init; }
}

/// <summary>Whether a crawler reads everything or only folders added since the last crawl.</summary>
public sealed record RecrawlPolicy
{
    /// <summary><c>CRAWL_EVERYTHING</c> (default) or <c>CRAWL_NEW_FOLDERS_ONLY</c>.</summary>
    public string? RecrawlBehavior { get; init; }
}

/// <summary>The outcome of a crawler's last run (Glue <c>LastCrawlInfo</c>).</summary>
public sealed record LastCrawlInfo
{
    /// <summary><c>SUCCEEDED</c>, <c>CANCELLED</c> or <c>FAILED</c>.</summary>
    public string? Status { get; init; }
    public string? ErrorMessage { get; init; }
    public string? MessagePrefix { get; init; }
    public DateTimeOffset? StartTime { get; init; }
}

/// <summary>
/// Metrics of a crawler (Glue <c>CrawlerMetrics</c>, for its last run), with the Streams additions
/// (partitions added; files read, skipped, unreadable and unclassified) that Glue clients ignore.
/// </summary>
public sealed record CrawlerMetrics
{
    public required string CrawlerName { get; init; }
    public double TimeLeftSeconds { get; init; }
    public bool StillEstimating { get; init; }
    public double LastRuntimeSeconds { get; init; }
    public double MedianRuntimeSeconds { get; init; }
    public int TablesCreated { get; init; }
    public int TablesUpdated { get; init; }
    public int TablesDeleted { get; init; }
    public int PartitionsAdded { get; init; }
    public int FilesRead { get; init; }
    public int FilesSkipped { get; init; }
    public int FilesUnreadable { get; init; }
    public int FilesUnclassified { get; init; }
}

/// <summary>The policy names of <see cref="SchemaChangePolicy"/> and <see cref="RecrawlPolicy"/>, and crawler states.</summary>
public static class CrawlerConstants
{
    public const string UpdateInDatabase = "UPDATE_IN_DATABASE";
    public const string Log = "LOG";
    public const string DeprecateInDatabase = "DEPRECATE_IN_DATABASE";
    public const string DeleteFromDatabase = "DELETE_FROM_DATABASE";
    public const string CrawlEverything = "CRAWL_EVERYTHING";
    public const string CrawlNewFoldersOnly = "CRAWL_NEW_FOLDERS_ONLY";
    public const string Ready = "READY";
    public const string Running = "RUNNING";
    public const string Stopping = "STOPPING";
    public const string Succeeded = "SUCCEEDED";
    public const string Cancelled = "CANCELLED";
    public const string Failed = "FAILED";
}
