using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streams.Registry.Glue;

// Schema versions: register (AVAILABLE, or FAILURE when compatibility refuses it), read by UUID or number, list,
// find by definition, validate, diff, delete.
public sealed partial class GlueSchemaRegistry
{
    private const int MaxDefinitionLength = 170_000;

    /// <summary>
    /// Registers <paramref name="definition"/> as the schema's next version. A definition registered already answers
    /// its version; one the compatibility mode refuses is kept as a FAILURE version (readable by its id, as in Glue)
    /// and takes no version number from the subject.
    /// </summary>
    public async Task<GlueRegistration> RegisterVersionAsync(GlueSchemaId id, string definition, CancellationToken cancellationToken = default)
    {
        CheckDefinition(definition);
        var schema = await ResolveAsync(id, cancellationToken);
        var submission = new SchemaSubmission(definition, schema.DataFormat);
        try
        {
            var existing = await _registry.LookUpAsync(schema.Subject, submission, cancellationToken: cancellationToken);
            var entry = schema.Versions.First(v => v.Version == existing.Version);
            return new GlueRegistration(entry.Id.ToString(), entry.Version, GlueStatuses.Available, null);
        }
        catch (SchemaRegistryException e) when (e.StatusCode == 404)
        {
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.InvalidSchema)
        {
            throw GlueSchemaRegistryException.Invalid($"SchemaDefinition is not a valid {schema.DataFormat} schema: {e.Message}");
        }

        if ((await _registry.GetModeAsync(schema.Subject, defaultToGlobal: true, cancellationToken)).IsReadOnly())
        {
            throw GlueSchemaRegistryException.Invalid(
                $"Schema {schema.Name} has compatibility DISABLED: it takes no new versions. Change its compatibility with UpdateSchema first.");
        }

        if (schema.Versions.Count(v => !v.Deleted) >= _options.MaxVersionsPerSchema)
        {
            throw GlueSchemaRegistryException.Limit(
                $"Schema {schema.Name} has {_options.MaxVersionsPerSchema} versions, the most a schema holds; delete some with DeleteSchemaVersions.");
        }

        int version;
        try
        {
            (_, version) = await _registry.RegisterAsync(schema.Subject, submission, cancellationToken: cancellationToken);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.IncompatibleSchema)
        {
            var failed = Guid.NewGuid();
            var number = schema.Versions.Count > 0 ? schema.Versions.Max(v => v.Version) + 1 : 1;
            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection,
                "INSERT INTO registry.glue_failed_versions (version_id, subject, version, data_format, definition, reason) " +
                "VALUES (@id, @subject, @version, @format, @definition, @reason)", cancellationToken,
                ("id", failed), ("subject", schema.Subject), ("version", number), ("format", schema.DataFormat),
                ("definition", definition), ("reason", e.Message));
            return new GlueRegistration(failed.ToString(), number, GlueStatuses.Failure, e.Message);
        }
        catch (SchemaRegistryException e) when (e.StatusCode is 400 or 422)
        {
            throw GlueSchemaRegistryException.Invalid(e.Message);
        }

        var registered = await _registry.GetVersionWithIdAsync(schema.Subject, VersionSpec.Of(version), cancellationToken);
        return new GlueRegistration(registered.VersionId!.Value.ToString(), version, GlueStatuses.Available, null);
    }

    /// <summary>A version by its UUID, or by schema and number (or latest).</summary>
    public async Task<GlueSchemaVersionInfo> GetVersionAsync(GlueSchemaId? id, Guid? versionId, GlueVersionNumber? number,
        CancellationToken cancellationToken = default)
    {
        if (versionId is { } uuid)
        {
            RegisteredSchema found;
            try
            {
                found = await _registry.GetVersionAsync(uuid, cancellationToken);
            }
            catch (SchemaRegistryException e) when (e.StatusCode == 404)
            {
                return await GetFailedVersionAsync(uuid, cancellationToken);
            }

            var (registry, name) = await NameOfSubjectAsync(found.Subject, cancellationToken);
            var schema = await ResolveAsync(new GlueSchemaId(null, name, registry), cancellationToken);
            return VersionInfo(schema, schema.Versions.First(v => v.Id == uuid), found.Schema);
        }

        if (id is null || number is null)
        {
            throw GlueSchemaRegistryException.Invalid("GetSchemaVersion needs SchemaVersionId, or SchemaId and SchemaVersionNumber.");
        }

        var resolved = await ResolveAsync(id, cancellationToken);
        var entry = FindVersion(resolved, number);
        return VersionInfo(resolved, entry, (await _registry.GetSchemaAsync(entry.SchemaId, cancellationToken)).Schema);
    }

    /// <summary>The live versions of a schema by number, a page at <paramref name="offset"/>.</summary>
    public async Task<(IReadOnlyList<GlueSchemaVersionInfo> Items, int? NextOffset)> ListVersionsAsync(GlueSchemaId id, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        var schema = await ResolveAsync(id, cancellationToken);
        var page = schema.Versions.Where(v => !v.Deleted).Skip(offset).Take(limit + 1).Select(v => VersionInfo(schema, v, "")).ToList();
        return Page(page, offset, limit);
    }

    /// <summary>The version of the schema whose definition is <paramref name="definition"/> (the same schema, however written).</summary>
    public async Task<GlueSchemaVersionInfo> GetVersionByDefinitionAsync(GlueSchemaId id, string definition,
        CancellationToken cancellationToken = default)
    {
        CheckDefinition(definition);
        var schema = await ResolveAsync(id, cancellationToken);
        RegisteredSchema found;
        try
        {
            found = await _registry.LookUpAsync(schema.Subject, new SchemaSubmission(definition, schema.DataFormat),
                cancellationToken: cancellationToken);
        }
        catch (SchemaRegistryException e) when (e.StatusCode == 404)
        {
            throw GlueSchemaRegistryException.NotFound($"Schema {schema.Name} has no version with this definition.");
        }
        catch (SchemaRegistryException e) when (e.StatusCode is 400 or 422)
        {
            throw GlueSchemaRegistryException.Invalid($"SchemaDefinition is not a valid {schema.DataFormat} schema: {e.Message}");
        }

        return VersionInfo(schema, schema.Versions.First(v => v.Version == found.Version), found.Schema);
    }

    /// <summary>Whether <paramref name="definition"/> is a valid schema of <paramref name="dataFormat"/>, and if not why.</summary>
    public async Task<(bool Valid, string? Error)> CheckValidityAsync(string dataFormat, string definition,
        CancellationToken cancellationToken = default)
    {
        var format = CheckDataFormat(dataFormat);
        CheckDefinition(definition);
        try
        {
            await _registry.ParseAsync(new SchemaSubmission(definition, format), cancellationToken);
            return (true, null);
        }
        catch (SchemaRegistryException e) when (e.StatusCode is 400 or 422)
        {
            return (false, e.Message);
        }
    }

    /// <summary>
    /// A line diff of two versions' definitions (pretty-printed first, so only the content counts): lines prefixed
    /// <c>-</c> (only in the first), <c>+</c> (only in the second) or a space (in both).
    /// </summary>
    public async Task<string> DiffVersionsAsync(GlueSchemaId id, GlueVersionNumber first, GlueVersionNumber second, string diffType,
        CancellationToken cancellationToken = default)
    {
        if (diffType != "SYNTAX_DIFF")
        {
            throw GlueSchemaRegistryException.Invalid($"SchemaDiffType '{diffType}' is not supported; Glue defines only SYNTAX_DIFF.");
        }

        var schema = await ResolveAsync(id, cancellationToken);
        var a = await _registry.GetSchemaAsync(FindVersion(schema, first).SchemaId, cancellationToken);
        var b = await _registry.GetSchemaAsync(FindVersion(schema, second).SchemaId, cancellationToken);
        return LineDiff.Of(Pretty(a.Schema), Pretty(b.Schema));
    }

    /// <summary>
    /// Deletes the versions <paramref name="versions"/> names (<c>3</c>, <c>2-5</c>, <c>1,4-6</c>) for good; the
    /// checkpoint cannot be among them. Returns one error per version that could not be deleted.
    /// </summary>
    public async Task<IReadOnlyList<(long Version, string ErrorCode, string Message)>> DeleteVersionsAsync(GlueSchemaId id, string versions,
        CancellationToken cancellationToken = default)
    {
        var schema = await ResolveAsync(id, cancellationToken);
        var numbers = ParseVersions(versions);
        var live = schema.Versions.Where(v => !v.Deleted).ToList();
        var checkpoint = schema.Checkpoint ?? (live.Count > 0 ? live[0].Version : 0);
        if (numbers.Contains(checkpoint) && live.Any(v => v.Version == checkpoint))
        {
            throw GlueSchemaRegistryException.Invalid(
                $"Version {checkpoint} is the checkpoint of schema {schema.Name}: move the checkpoint with UpdateSchema before deleting it.");
        }

        var errors = new List<(long, string, string)>();
        var deleted = new List<Guid>();
        foreach (var number in numbers)
        {
            var entry = live.FirstOrDefault(v => v.Version == number);
            if (entry is null)
            {
                errors.Add((number, GlueErrorTypes.EntityNotFound, $"Version {number} of schema {schema.Name} is not found."));
                continue;
            }

            try
            {
                await _registry.DeleteVersionAsync(schema.Subject, VersionSpec.Of(number), permanent: false, cancellationToken);
                await _registry.DeleteVersionAsync(schema.Subject, VersionSpec.Of(number), permanent: true, cancellationToken);
                deleted.Add(entry.Id);
            }
            catch (SchemaRegistryException e)
            {
                errors.Add((number, GlueErrorTypes.InvalidInput, e.Message));
            }
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM registry.glue_version_metadata WHERE version_id = ANY(@ids)", cancellationToken,
            ("ids", deleted.ToArray()));
        return errors;
    }

    private async Task<GlueSchemaVersionInfo> GetFailedVersionAsync(Guid uuid, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection,
            "SELECT subject, version, data_format, definition, created_at FROM registry.glue_failed_versions WHERE version_id = @id",
            r => (Subject: r.GetString(0), Version: r.GetInt32(1), Format: r.GetString(2), Definition: r.GetString(3), At: r.GetDateTime(4)),
            cancellationToken, ("id", uuid));
        if (rows.Count == 0)
        {
            throw GlueSchemaRegistryException.NotFound($"Schema version {uuid} is not found.");
        }

        var row = rows[0];
        var (registry, name) = await NameOfSubjectAsync(row.Subject, cancellationToken);
        return new GlueSchemaVersionInfo(uuid.ToString(), row.Definition, row.Format, _arns.Schema(registry, name), row.Version,
            GlueStatuses.Failure, Time(row.At));
    }

    private async Task<(string Registry, string Name)> NameOfSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await QueryAsync(connection, "SELECT registry, name FROM registry.glue_schemas WHERE subject = @subject",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("subject", subject));
        return row.Count == 1 ? row[0] : GlueNames.Split(subject, await RegistryNamesAsync(connection, cancellationToken));
    }

    private GlueSchemaVersionInfo VersionInfo(ResolvedSchema schema, VersionEntry entry, string definition) =>
        new(entry.Id.ToString(), definition, entry.SchemaType, _arns.Schema(schema.Registry, schema.Name), entry.Version,
            GlueStatuses.Available, Time(entry.At));

    private async Task ParseDefinitionAsync(string format, string definition, CancellationToken cancellationToken)
    {
        CheckDefinition(definition);
        if (await CheckValidityAsync(format, definition, cancellationToken) is { Valid: false } invalid)
        {
            throw GlueSchemaRegistryException.Invalid($"SchemaDefinition is not a valid {format} schema: {invalid.Error}");
        }
    }

    private static void CheckDefinition(string definition)
    {
        if (string.IsNullOrWhiteSpace(definition) || definition.Length > MaxDefinitionLength)
        {
            throw GlueSchemaRegistryException.Invalid($"SchemaDefinition must be 1 to {MaxDefinitionLength} characters and not blank.");
        }
    }

    private static string Pretty(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private SortedSet<int> ParseVersions(string text)
    {
        var numbers = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0))
            {
                throw GlueSchemaRegistryException.Invalid($"Versions '{text}' is not a list of version numbers and ranges such as 1,3-5.");
            }

            var low = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var high = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (high < low || high - low >= _options.MaxVersionsPerSchema)
            {
                throw GlueSchemaRegistryException.Invalid($"Versions range '{part}' must be ascending and span at most {_options.MaxVersionsPerSchema} versions.");
            }

            for (var n = low; n <= high; n++)
            {
                numbers.Add(n);
            }
        }

        return numbers;
    }
}
