namespace Streams.Catalog.Model;

/// <summary>
/// A connection (Glue <c>Connection</c>) to a source a crawler reads: <c>JDBC</c> (PostgreSQL:
/// <c>JDBC_CONNECTION_URL</c>, <c>USERNAME</c>, <c>PASSWORD</c>), <c>KAFKA</c> (<c>KAFKA_BOOTSTRAP_SERVERS</c>,
/// <c>SCHEMA_REGISTRY_URL</c>) or <c>S3</c> (<c>S3_ENDPOINT</c>, <c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>). Secret properties (see <see cref="ConnectionSecrets"/>) are stored
/// encrypted and never returned.
/// </summary>
public sealed record Connection
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? ConnectionType { get; init; }
    public List<string>? MatchCriteria { get; init; }
    public Dictionary<string, string>? ConnectionProperties { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastUpdatedTime { get; init; }
}

/// <summary>What a caller supplies to create a connection (Glue <c>ConnectionInput</c>).</summary>
public sealed record ConnectionInput
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ConnectionType { get; init; }
    public List<string>? MatchCriteria { get; init; }
    public Dictionary<string, string>? ConnectionProperties { get; init; }
}

/// <summary>Which connection properties are secrets.</summary>
public static class ConnectionSecrets
{
    /// <summary>True for properties that hold a secret: passwords, secret keys, tokens.</summary>
    public static bool IsSecret(string property) =>
        property.EndsWith("PASSWORD", StringComparison.OrdinalIgnoreCase)
        || property.EndsWith("SECRET", StringComparison.OrdinalIgnoreCase)
        || property.EndsWith("SECRET_ACCESS_KEY", StringComparison.OrdinalIgnoreCase)
        || property.EndsWith("TOKEN", StringComparison.OrdinalIgnoreCase);
}
