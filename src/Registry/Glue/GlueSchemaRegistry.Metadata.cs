using Npgsql;

namespace Streams.Registry.Glue;

// Version metadata (key-value pairs, several values per key) and tags of registries and schemas.
public sealed partial class GlueSchemaRegistry
{
    private const int MaxMetadataKeyLength = 128;
    private const int MaxMetadataValueLength = 256;
    private const int MaxTagKeyLength = 128;
    private const int MaxTagValueLength = 256;

    /// <summary>The version a metadata call names: by UUID, or by schema and number.</summary>
    public async Task<GlueVersionRef> ResolveVersionAsync(GlueSchemaId? id, GlueVersionNumber? number, Guid? versionId,
        CancellationToken cancellationToken = default)
    {
        var version = await GetVersionAsync(versionId is null ? id : null, versionId, versionId is null ? number : null, cancellationToken);
        if (version.Status != GlueStatuses.Available)
        {
            throw GlueSchemaRegistryException.NotFound($"Schema version {version.SchemaVersionId} is {version.Status}, not AVAILABLE.");
        }

        var (registry, name) = GlueArns.SchemaOf(version.SchemaArn);
        var info = await GetSchemaAsync(new GlueSchemaId(null, name, registry), cancellationToken);
        return new GlueVersionRef(registry, name, version.SchemaArn, Guid.Parse(version.SchemaVersionId), version.VersionNumber,
            info.LatestSchemaVersion == version.VersionNumber);
    }

    /// <summary>Adds a metadata pair to a version: AlreadyExistsException for the same pair, a limit of pairs per version.</summary>
    public async Task<GlueVersionRef> PutMetadataAsync(GlueVersionRef version, string key, string value, CancellationToken cancellationToken = default)
    {
        CheckPair(key, value, MaxMetadataKeyLength, MaxMetadataValueLength, "Metadata");
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended(@id::text, 0))", cancellationToken,
            ("id", version.SchemaVersionId));
        var pairs = await QueryAsync(connection, "SELECT key, value FROM registry.glue_version_metadata WHERE version_id = @id",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("id", version.SchemaVersionId));
        if (pairs.Contains((key, value)))
        {
            throw GlueSchemaRegistryException.Exists($"Metadata {key}={value} is already on schema version {version.SchemaVersionId}.");
        }

        if (pairs.Count >= _options.MaxMetadataPerVersion)
        {
            throw GlueSchemaRegistryException.Limit(
                $"Schema version {version.SchemaVersionId} has {_options.MaxMetadataPerVersion} metadata pairs, the most a version holds.");
        }

        await ExecuteAsync(connection, "INSERT INTO registry.glue_version_metadata (version_id, key, value) VALUES (@id, @key, @value)",
            cancellationToken, ("id", version.SchemaVersionId), ("key", key), ("value", value));
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Removes a metadata pair; EntityNotFoundException when the version does not have it.</summary>
    public async Task<GlueVersionRef> RemoveMetadataAsync(GlueVersionRef version, string key, string value,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var removed = await ExecuteAsync(connection,
            "DELETE FROM registry.glue_version_metadata WHERE version_id = @id AND key = @key AND value = @value", cancellationToken,
            ("id", version.SchemaVersionId), ("key", key), ("value", value));
        return removed == 1
            ? version
            : throw GlueSchemaRegistryException.NotFound($"Schema version {version.SchemaVersionId} has no metadata {key}={value}.");
    }

    /// <summary>
    /// A version's metadata by key (the newest value first, the others after it), keeping the pairs that match one
    /// of <paramref name="filter"/> (a key, and a value when given); a page of keys at <paramref name="offset"/>.
    /// </summary>
    public async Task<(IReadOnlyList<(string Key, IReadOnlyList<GlueMetadataValue> Values)> Items, int? NextOffset)> QueryMetadataAsync(
        GlueVersionRef version, IReadOnlyList<(string Key, string? Value)> filter, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var pairs = await QueryAsync(connection,
            "SELECT key, value, created_at FROM registry.glue_version_metadata WHERE version_id = @id ORDER BY key, created_at DESC, value",
            r => (Key: r.GetString(0), Value: new GlueMetadataValue(r.GetString(1), Time(r.GetDateTime(2)))), cancellationToken,
            ("id", version.SchemaVersionId));
        var keys = pairs
            .Where(p => filter.Count == 0 || filter.Any(f => f.Key == p.Key && (f.Value is null || f.Value == p.Value.MetadataValue)))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<GlueMetadataValue>)g.Select(p => p.Value).ToList()))
            .Skip(offset).Take(limit + 1).ToList();
        return Page(keys, offset, limit);
    }

    /// <summary>The tags of a registry or schema ARN.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken cancellationToken = default)
    {
        var resource = await TaggedResourceAsync(arn, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, "SELECT key, value FROM registry.glue_tags WHERE arn = @arn ORDER BY key",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("arn", resource))).ToDictionary(p => p.Item1, p => p.Item2);
    }

    /// <summary>Adds or replaces tags on a registry or schema.</summary>
    public async Task TagAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ValidateTags(tags);
        var resource = await TaggedResourceAsync(arn, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PutTagsAsync(connection, resource, tags, cancellationToken);
        var count = (await QueryAsync(connection, "SELECT count(*) FROM registry.glue_tags WHERE arn = @arn", r => r.GetInt64(0),
            cancellationToken, ("arn", resource)))[0];
        if (count > _options.MaxTagsPerResource)
        {
            throw GlueSchemaRegistryException.Limit($"A resource holds at most {_options.MaxTagsPerResource} tags; {arn} would have {count}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Removes tags (by key) from a registry or schema; absent keys are ignored, as in Glue.</summary>
    public async Task UntagAsync(string arn, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var resource = await TaggedResourceAsync(arn, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM registry.glue_tags WHERE arn = @arn AND key = ANY(@keys)", cancellationToken,
            ("arn", resource), ("keys", keys.ToArray()));
    }

    private async Task<string> TaggedResourceAsync(string arn, CancellationToken cancellationToken)
    {
        var resource = GlueArns.Resource(arn);
        if (resource.StartsWith("registry/", StringComparison.Ordinal))
        {
            var registry = GlueArns.RegistryOf(arn);
            await GetRegistryAsync(registry, null, cancellationToken);
            return GlueArns.ResourceOfRegistry(registry);
        }

        if (resource.StartsWith("schema/", StringComparison.Ordinal))
        {
            var (registry, schema) = GlueArns.SchemaOf(arn);
            await ResolveAsync(new GlueSchemaId(null, schema, registry), cancellationToken);
            return GlueArns.ResourceOfSchema(registry, schema);
        }

        throw GlueSchemaRegistryException.NotFound($"{arn} is not a registry or schema of this schema registry.");
    }

    private static async Task PutTagsAsync(NpgsqlConnection connection, string resource, IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            await ExecuteAsync(connection,
                "INSERT INTO registry.glue_tags (arn, key, value) VALUES (@arn, @key, @value) ON CONFLICT (arn, key) DO UPDATE SET value = @value",
                cancellationToken, ("arn", resource), ("key", key), ("value", value));
        }
    }

    private void ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > _options.MaxTagsPerResource)
        {
            throw GlueSchemaRegistryException.Limit($"A resource holds at most {_options.MaxTagsPerResource} tags; {tags.Count} were given.");
        }

        foreach (var (key, value) in tags)
        {
            CheckPair(key, value, MaxTagKeyLength, MaxTagValueLength, "Tag", allowEmptyValue: true);
        }
    }

    private static void CheckPair(string key, string value, int maxKey, int maxValue, string what, bool allowEmptyValue = false)
    {
        if (string.IsNullOrEmpty(key) || key.Length > maxKey || value.Length > maxValue || (!allowEmptyValue && value.Length == 0))
        {
            throw GlueSchemaRegistryException.Invalid(
                $"{what} key must be 1 to {maxKey} characters and its value {(allowEmptyValue ? 0 : 1)} to {maxValue}; got '{key}'='{value}'.");
        }
    }
}
