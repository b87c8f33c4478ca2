using Npgsql;

namespace Streams.Registry.Glue;

// Registries: create, read, list, describe, delete (with their schemas).
public sealed partial class GlueSchemaRegistry
{
    private const int MaxDescriptionLength = 2048;

    /// <summary>Creates a registry; AlreadyExistsException if it exists, ResourceNumberLimitExceededException past the quota.</summary>
    public async Task<GlueRegistryInfo> CreateRegistryAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken = default)
    {
        GlueNames.Validate(name, "RegistryName");
        ValidateDescription(description);
        ValidateTags(tags);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "LOCK TABLE registry.glue_registries IN EXCLUSIVE MODE", cancellationToken);
        var names = await RegistryNamesAsync(connection, cancellationToken);
        if (names.Contains(name))
        {
            throw GlueSchemaRegistryException.Exists($"Registry {name} already exists.");
        }

        if (names.Count >= _options.MaxRegistries)
        {
            throw GlueSchemaRegistryException.Limit($"An account holds at most {_options.MaxRegistries} registries; delete one first.");
        }

        await ExecuteAsync(connection, "INSERT INTO registry.glue_registries (name, description) VALUES (@name, @description)",
            cancellationToken, ("name", name), ("description", description));
        await PutTagsAsync(connection, GlueArns.ResourceOfRegistry(name), tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetRegistryAsync(name, null, cancellationToken);
    }

    /// <summary>A registry by name or ARN.</summary>
    public async Task<GlueRegistryInfo> GetRegistryAsync(string? name, string? arn, CancellationToken cancellationToken = default)
    {
        var registry = RegistryName(name, arn);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection,
            "SELECT name, description, created_at, updated_at FROM registry.glue_registries WHERE name = @name", ReadRegistry,
            cancellationToken, ("name", registry));
        return rows.Count == 1 ? rows[0] : throw RegistryNotFound(registry);
    }

    /// <summary>The registries by name, a page at <paramref name="offset"/>.</summary>
    public async Task<(IReadOnlyList<GlueRegistryInfo> Items, int? NextOffset)> ListRegistriesAsync(int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection,
            "SELECT name, description, created_at, updated_at FROM registry.glue_registries ORDER BY name OFFSET @offset LIMIT @limit",
            ReadRegistry, cancellationToken, ("offset", offset), ("limit", limit + 1));
        return Page(rows, offset, limit);
    }

    /// <summary>Sets a registry's description.</summary>
    public async Task<GlueRegistryInfo> UpdateRegistryAsync(string? name, string? arn, string description,
        CancellationToken cancellationToken = default)
    {
        var registry = RegistryName(name, arn);
        ValidateDescription(description);
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await ExecuteAsync(connection,
            "UPDATE registry.glue_registries SET description = @description, updated_at = now() WHERE name = @name", cancellationToken,
            ("name", registry), ("description", description));
        return updated == 1 ? await GetRegistryAsync(registry, null, cancellationToken) : throw RegistryNotFound(registry);
    }

    /// <summary>Deletes a registry and every schema in it (their subjects, for good). The default registry stays.</summary>
    public async Task<GlueRegistryInfo> DeleteRegistryAsync(string? name, string? arn, CancellationToken cancellationToken = default)
    {
        var registry = RegistryName(name, arn);
        if (registry == GlueNames.DefaultRegistry)
        {
            throw GlueSchemaRegistryException.Invalid(
                $"{GlueNames.DefaultRegistry} cannot be deleted: it holds every subject of no other registry. Delete its schemas instead.");
        }

        var info = await GetRegistryAsync(registry, null, cancellationToken);
        foreach (var schema in (await AllSchemasAsync(cancellationToken)).Where(s => s.RegistryName == registry))
        {
            await DeleteSchemaAsync(new GlueSchemaId(null, schema.SchemaName, registry), cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection,
            "DELETE FROM registry.glue_schemas WHERE registry = @name; DELETE FROM registry.glue_registries WHERE name = @name; " +
            "DELETE FROM registry.glue_tags WHERE arn = @resource", cancellationToken,
            ("name", registry), ("resource", GlueArns.ResourceOfRegistry(registry)));
        return info with { Status = GlueStatuses.Deleting };
    }

    private GlueRegistryInfo ReadRegistry(NpgsqlDataReader reader)
    {
        var name = reader.GetString(0);
        return new GlueRegistryInfo(name, _arns.Registry(name), reader.IsDBNull(1) ? null : reader.GetString(1), GlueStatuses.Available,
            Time(reader.GetDateTime(2)), Time(reader.GetDateTime(3)));
    }

    private static async Task<HashSet<string>> RegistryNamesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, "SELECT name FROM registry.glue_registries", r => r.GetString(0), cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    private static string RegistryName(string? name, string? arn)
    {
        if (arn is not null)
        {
            var fromArn = GlueArns.RegistryOf(arn);
            return name is null || name == fromArn
                ? fromArn
                : throw GlueSchemaRegistryException.Invalid($"RegistryName {name} and RegistryArn {arn} name different registries.");
        }

        return GlueNames.Validate(name ?? throw GlueSchemaRegistryException.Invalid("RegistryId needs RegistryName or RegistryArn."),
            "RegistryName");
    }

    private static GlueSchemaRegistryException RegistryNotFound(string registry) =>
        GlueSchemaRegistryException.NotFound($"Registry {registry} is not found.");

    private static void ValidateDescription(string? description)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            throw GlueSchemaRegistryException.Invalid($"Description is {description.Length} characters; at most {MaxDescriptionLength} are allowed.");
        }
    }

    private static (IReadOnlyList<T> Items, int? NextOffset) Page<T>(List<T> rows, int offset, int limit) =>
        rows.Count > limit ? (rows.GetRange(0, limit), offset + limit) : (rows, null);
}
