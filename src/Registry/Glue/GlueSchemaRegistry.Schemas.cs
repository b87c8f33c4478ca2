using Npgsql;

namespace Streams.Registry.Glue;

// Schemas: a Glue schema is a subject; its Glue-only facts are a row of registry.glue_schemas.
public sealed partial class GlueSchemaRegistry
{
    private static readonly string[] DataFormats = ["AVRO", "JSON", "PROTOBUF"];

    /// <summary>
    /// Creates a schema (and with <paramref name="definition"/> its first version). A subject of that name already
    /// registered through Confluent's API is the schema already: AlreadyExistsException.
    /// </summary>
    public async Task<(GlueSchemaInfo Schema, GlueRegistration? FirstVersion)> CreateSchemaAsync(string? registryName, string? registryArn,
        string name, string dataFormat, string? compatibility, string? description, IReadOnlyDictionary<string, string>? tags,
        string? definition, CancellationToken cancellationToken = default)
    {
        var registry = registryName is null && registryArn is null ? GlueNames.DefaultRegistry : RegistryName(registryName, registryArn);
        GlueNames.Validate(name, "SchemaName");
        var format = CheckDataFormat(dataFormat);
        var mode = compatibility ?? GlueCompatibility.Default;
        var level = GlueCompatibility.Parse(mode);
        ValidateDescription(description);
        ValidateTags(tags);
        if (definition is not null)
        {
            await ParseDefinitionAsync(format, definition, cancellationToken);
        }

        var subject = GlueNames.SubjectOf(registry, name);
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, "LOCK TABLE registry.glue_schemas IN EXCLUSIVE MODE", cancellationToken);
            var registries = await RegistryNamesAsync(connection, cancellationToken);
            if (!registries.Contains(registry))
            {
                throw RegistryNotFound(registry);
            }

            var entries = await SchemaEntriesAsync(connection, registries, cancellationToken);
            if (entries.Any(e => e.Subject == subject))
            {
                throw GlueSchemaRegistryException.Exists($"Schema {name} already exists in registry {registry} (subject '{subject}').");
            }

            if (entries.Count >= _options.MaxSchemas)
            {
                throw GlueSchemaRegistryException.Limit($"An account holds at most {_options.MaxSchemas} schemas; delete one first.");
            }

            await ExecuteAsync(connection,
                "INSERT INTO registry.glue_schemas (subject, registry, name, data_format, description, checkpoint) " +
                "VALUES (@subject, @registry, @name, @format, @description, NULL)", cancellationToken,
                ("subject", subject), ("registry", registry), ("name", name), ("format", format), ("description", description));
            await PutTagsAsync(connection, GlueArns.ResourceOfSchema(registry, name), tags, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await RegistryCallAsync(() => _registry.SetCompatibilityAsync(subject, level ?? CompatibilityLevel.Backward, cancellationToken));
        GlueRegistration? first = null;
        if (definition is not null)
        {
            first = await RegisterVersionAsync(new GlueSchemaId(null, name, registry), definition, cancellationToken);
        }

        if (level is null)
        {
            await RegistryCallAsync(() => _registry.SetModeAsync(subject, RegistryMode.ReadOnly, cancellationToken: cancellationToken));
        }

        return (await GetSchemaAsync(new GlueSchemaId(null, name, registry), cancellationToken), first);
    }

    /// <summary>A schema with its compatibility, checkpoint, latest and next version numbers.</summary>
    public async Task<GlueSchemaInfo> GetSchemaAsync(GlueSchemaId id, CancellationToken cancellationToken = default)
    {
        var schema = await ResolveAsync(id, cancellationToken);
        var level = await _registry.GetCompatibilityAsync(schema.Subject, defaultToGlobal: true, cancellationToken);
        var mode = await _registry.GetModeAsync(schema.Subject, defaultToGlobal: true, cancellationToken);
        var live = schema.Versions.Where(v => !v.Deleted).ToList();
        return new GlueSchemaInfo
        {
            RegistryName = schema.Registry,
            RegistryArn = _arns.Registry(schema.Registry),
            SchemaName = schema.Name,
            SchemaArn = _arns.Schema(schema.Registry, schema.Name),
            Description = schema.Description,
            DataFormat = schema.DataFormat,
            Compatibility = GlueCompatibility.ToGlue(level, mode),
            SchemaCheckpoint = schema.Checkpoint ?? (live.Count > 0 ? live[0].Version : 0),
            LatestSchemaVersion = live.Count > 0 ? live[^1].Version : 0,
            NextSchemaVersion = schema.Versions.Count > 0 ? schema.Versions.Max(v => v.Version) + 1 : 1,
            CreatedTime = Time(schema.Created),
            UpdatedTime = Time(schema.Updated),
            Subject = schema.Subject,
        };
    }

    /// <summary>The schemas of one registry (or of all with <c>null</c>), by registry and name, a page at <paramref name="offset"/>.</summary>
    public async Task<(IReadOnlyList<GlueSchemaListItem> Items, int? NextOffset)> ListSchemasAsync(string? registryName, string? registryArn,
        int offset, int limit, CancellationToken cancellationToken = default)
    {
        string? registry = registryName is null && registryArn is null ? null : RegistryName(registryName, registryArn);
        if (registry is not null)
        {
            await GetRegistryAsync(registry, null, cancellationToken);
        }

        var all = (await AllSchemasAsync(cancellationToken)).Where(s => registry is null || s.RegistryName == registry).ToList();
        return Page(all.Skip(offset).Take(limit + 1).ToList(), offset, limit);
    }

    /// <summary>
    /// Changes a schema's description, compatibility and checkpoint (<paramref name="checkpoint"/>: the version
    /// compatibility is counted from, which deletes cannot remove).
    /// </summary>
    public async Task<GlueSchemaInfo> UpdateSchemaAsync(GlueSchemaId id, GlueVersionNumber? checkpoint, string? compatibility,
        string? description, CancellationToken cancellationToken = default)
    {
        if (checkpoint is null && compatibility is null && description is null)
        {
            throw GlueSchemaRegistryException.Invalid("UpdateSchema needs Compatibility, SchemaVersionNumber or Description.");
        }

        ValidateDescription(description);
        var level = compatibility is null ? null : GlueCompatibility.Parse(compatibility);
        var schema = await ResolveAsync(id, cancellationToken);
        int? checkpointVersion = checkpoint is null ? null : FindVersion(schema, checkpoint).Version;
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await ExecuteAsync(connection,
                "INSERT INTO registry.glue_schemas (subject, registry, name, data_format, description, checkpoint) " +
                "VALUES (@subject, @registry, @name, @format, @description, @checkpoint) ON CONFLICT (subject) DO UPDATE SET " +
                "description = coalesce(@description, glue_schemas.description), checkpoint = coalesce(@checkpoint, glue_schemas.checkpoint), " +
                "updated_at = now()", cancellationToken,
                ("subject", schema.Subject), ("registry", schema.Registry), ("name", schema.Name), ("format", schema.DataFormat),
                ("description", description), ("checkpoint", checkpointVersion));
        }

        if (compatibility is not null)
        {
            if (level is { } checkedLevel)
            {
                await RegistryCallAsync(() => _registry.SetCompatibilityAsync(schema.Subject, checkedLevel, cancellationToken));
                if ((await _registry.GetModeAsync(schema.Subject, defaultToGlobal: true, cancellationToken)).IsReadOnly())
                {
                    await RegistryCallAsync(() => _registry.DeleteModeAsync(schema.Subject, cancellationToken));
                }
            }
            else
            {
                await RegistryCallAsync(() => _registry.SetModeAsync(schema.Subject, RegistryMode.ReadOnly, cancellationToken: cancellationToken));
            }
        }

        return await GetSchemaAsync(id, cancellationToken);
    }

    /// <summary>Deletes a schema: every version of its subject (for good), its metadata and tags.</summary>
    public async Task<GlueSchemaInfo> DeleteSchemaAsync(GlueSchemaId id, CancellationToken cancellationToken = default)
    {
        var info = await GetSchemaAsync(id, cancellationToken);
        var schema = await ResolveAsync(id, cancellationToken);
        var subject = info.Subject;
        // DISABLED is the subject's READONLY mode, which would refuse the deletes below.
        await _registry.DeleteModeAsync(subject, cancellationToken);
        if (schema.Versions.Count > 0)
        {
            await RegistryCallAsync(async () =>
            {
                if (schema.Versions.Any(v => !v.Deleted))
                {
                    await _registry.DeleteSubjectAsync(subject, permanent: false, cancellationToken);
                }

                await _registry.DeleteSubjectAsync(subject, permanent: true, cancellationToken);
            });
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection,
            "DELETE FROM registry.glue_version_metadata m WHERE NOT EXISTS (SELECT 1 FROM registry.subject_versions v WHERE v.version_id = m.version_id); " +
            "DELETE FROM registry.glue_failed_versions WHERE subject = @subject; DELETE FROM registry.glue_schemas WHERE subject = @subject; " +
            "DELETE FROM registry.glue_tags WHERE arn = @resource; DELETE FROM registry.compatibility WHERE subject = @subject",
            cancellationToken, ("subject", subject), ("resource", GlueArns.ResourceOfSchema(info.RegistryName, info.SchemaName)));
        return info with { SchemaStatus = GlueStatuses.Deleting };
    }

    private async Task<List<GlueSchemaListItem>> AllSchemasAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var registries = await RegistryNamesAsync(connection, cancellationToken);
        return (await SchemaEntriesAsync(connection, registries, cancellationToken))
            .OrderBy(e => e.Registry, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new GlueSchemaListItem(e.Registry, e.Name, _arns.Schema(e.Registry, e.Name), e.Description, GlueStatuses.Available,
                Time(e.Created), Time(e.Updated)))
            .ToList();
    }

    /// <summary>Every schema: the Glue rows, and the subjects with a live version that have none.</summary>
    private static async Task<List<SchemaEntry>> SchemaEntriesAsync(NpgsqlConnection connection, HashSet<string> registries,
        CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(connection,
            "SELECT subject, registry, name, description, created_at, updated_at FROM registry.glue_schemas",
            r => new SchemaEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetDateTime(4), r.GetDateTime(5)), cancellationToken);
        var known = rows.Select(r => r.Subject).ToHashSet(StringComparer.Ordinal);
        var subjects = await QueryAsync(connection,
            "SELECT subject, min(registered_at), max(registered_at) FROM registry.subject_versions WHERE NOT deleted GROUP BY subject",
            r => (Subject: r.GetString(0), First: r.GetDateTime(1), Last: r.GetDateTime(2)), cancellationToken);
        foreach (var (subject, first, last) in subjects.Where(s => !known.Contains(s.Subject)))
        {
            var (registry, name) = GlueNames.Split(subject, registries);
            rows.Add(new SchemaEntry(subject, registry, name, null, first, last));
        }

        return rows;
    }

    private async Task<ResolvedSchema> ResolveAsync(GlueSchemaId id, CancellationToken cancellationToken)
    {
        string registry, name;
        if (id.SchemaArn is { } arn)
        {
            (registry, name) = GlueArns.SchemaOf(arn);
        }
        else
        {
            name = GlueNames.Validate(id.SchemaName ?? throw GlueSchemaRegistryException.Invalid("SchemaId needs SchemaArn or SchemaName."),
                "SchemaName");
            registry = id.RegistryName is null ? GlueNames.DefaultRegistry : GlueNames.Validate(id.RegistryName, "RegistryName");
        }

        var subject = GlueNames.SubjectOf(registry, name);
        await using var connection = await OpenAsync(cancellationToken);
        var registries = await RegistryNamesAsync(connection, cancellationToken);
        if (!registries.Contains(registry))
        {
            throw RegistryNotFound(registry);
        }

        var row = (await QueryAsync(connection,
            "SELECT registry, name, data_format, description, checkpoint, created_at, updated_at FROM registry.glue_schemas WHERE subject = @subject",
            r => (Registry: r.GetString(0), Name: r.GetString(1), Format: r.GetString(2), Description: r.IsDBNull(3) ? null : r.GetString(3),
                Checkpoint: r.IsDBNull(4) ? (int?)null : r.GetInt32(4), Created: r.GetDateTime(5), Updated: r.GetDateTime(6)),
            cancellationToken, ("subject", subject))).ToList();
        var versions = await QueryAsync(connection,
            "SELECT v.version, v.version_id, v.schema_id, v.registered_at, v.deleted, s.schema_type FROM registry.subject_versions v " +
            "JOIN registry.schemas s ON s.id = v.schema_id WHERE v.subject = @subject ORDER BY v.version",
            r => new VersionEntry(r.GetInt32(0), r.GetGuid(1), r.GetInt32(2), r.GetDateTime(3), r.GetBoolean(4), r.GetString(5)),
            cancellationToken, ("subject", subject));
        var live = versions.Where(v => !v.Deleted).ToList();
        if (row.Count == 1 && (row[0].Registry, row[0].Name) == (registry, name))
        {
            var r = row[0];
            return new ResolvedSchema(registry, name, subject, r.Format, r.Description, r.Checkpoint, r.Created,
                live.Count > 0 && live[^1].At > r.Updated ? live[^1].At : r.Updated, versions);
        }

        if (row.Count == 0 && live.Count > 0 && GlueNames.Split(subject, registries) == (registry, name))
        {
            return new ResolvedSchema(registry, name, subject, live[^1].SchemaType, null, null, live[0].At, live[^1].At, versions);
        }

        throw GlueSchemaRegistryException.NotFound($"Schema {name} is not found in registry {registry}.");
    }

    private static VersionEntry FindVersion(ResolvedSchema schema, GlueVersionNumber number)
    {
        var live = schema.Versions.Where(v => !v.Deleted).ToList();
        if (number.LatestVersion)
        {
            return live.Count > 0 ? live[^1] : throw GlueSchemaRegistryException.NotFound($"Schema {schema.Name} has no versions.");
        }

        if (number.VersionNumber is not { } n || n < 1)
        {
            throw GlueSchemaRegistryException.Invalid("SchemaVersionNumber needs LatestVersion true or a VersionNumber of at least 1.");
        }

        return live.FirstOrDefault(v => v.Version == n)
               ?? throw GlueSchemaRegistryException.NotFound($"Version {n} of schema {schema.Name} is not found.");
    }

    private static string CheckDataFormat(string dataFormat)
    {
        if (!DataFormats.Contains(dataFormat))
        {
            throw GlueSchemaRegistryException.Invalid($"DataFormat '{dataFormat}' is not one of AVRO, JSON, PROTOBUF.");
        }

        return dataFormat == "PROTOBUF"
            ? throw GlueSchemaRegistryException.Invalid("DataFormat PROTOBUF is not supported by this registry: use AVRO or JSON.")
            : dataFormat;
    }

    private sealed record SchemaEntry(string Subject, string Registry, string Name, string? Description, DateTime Created, DateTime Updated);

    private sealed record VersionEntry(int Version, Guid Id, int SchemaId, DateTime At, bool Deleted, string SchemaType);

    private sealed record ResolvedSchema(string Registry, string Name, string Subject, string DataFormat, string? Description,
        int? Checkpoint, DateTime Created, DateTime Updated, List<VersionEntry> Versions);
}
