namespace Streams.Catalog;

/// <summary>
/// A catalog operation failed in a way the caller can act on. <see cref="ErrorCode"/> is the Glue error
/// type (<c>EntityNotFoundException</c>, ...) the HTTP API answers with.
/// </summary>
public abstract class CatalogException(string errorCode, string message) : Exception(message)
{
    /// <summary>The Glue error type name.</summary>
    public string ErrorCode { get; } = errorCode;
}

/// <summary>A database, table, partition, connection, crawler or classifier does not exist.</summary>
public sealed class EntityNotFoundException(string message) : CatalogException("EntityNotFoundException", message);

/// <summary>An entity with that name (or partition values) already exists.</summary>
public sealed class AlreadyExistsException(string message) : CatalogException("AlreadyExistsException", message);

/// <summary>The request is malformed or its values are invalid.</summary>
public sealed class InvalidInputException(string message) : CatalogException("InvalidInputException", message);

/// <summary>The crawler is running, so it cannot be started, updated or deleted.</summary>
public sealed class CrawlerRunningException(string message) : CatalogException("CrawlerRunningException", message);

/// <summary>The crawler is not running, so it cannot be stopped.</summary>
public sealed class CrawlerNotRunningException(string message) : CatalogException("CrawlerNotRunningException", message);

/// <summary>A secret cannot be encrypted or decrypted (no key is configured, or the key changed).</summary>
public sealed class GlueEncryptionException(string message) : CatalogException("GlueEncryptionException", message);

/// <summary>The crawler has no schedule to start or stop.</summary>
public sealed class NoScheduleException(string message) : CatalogException("NoScheduleException", message);

/// <summary>The crawler's schedule is already running.</summary>
public sealed class SchedulerRunningException(string message) : CatalogException("SchedulerRunningException", message);

/// <summary>The crawler's schedule is not running.</summary>
public sealed class SchedulerNotRunningException(string message) : CatalogException("SchedulerNotRunningException", message);
