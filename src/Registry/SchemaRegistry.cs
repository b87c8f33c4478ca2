using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Streams.Registry.Formats;
using Streams.Registry.Storage;

namespace Streams.Registry;

/// <summary>
/// The schema registry over PostgreSQL: subjects, versions, global schema ids, compatibility levels and
/// modes with the semantics of Confluent Schema Registry. Any number of hosts may serve one database:
/// every write runs in a transaction holding one advisory lock, so ids and versions are assigned once and
/// in order, and a compatibility check sees every version committed before it.
/// </summary>
/// <remarks>
/// Failures are <see cref="SchemaRegistryException"/>s carrying Confluent's error codes; the REST API
/// (<c>Streams.Api.Registry.SchemaRegistryEndpoints</c>) returns them as they are.
/// </remarks>
public sealed class SchemaRegistry : IAsyncDisposable
{
    // References nest (a schema referring to one that refers to another...); a cycle would otherwise recurse forever.
    private const int MaxReferenceDepth = 32;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly Dictionary<string, ISchemaFormat> _formats;

    // Schema ids are immutable (rows of registry.schemas are never updated or removed), so a parse is cached forever.
    private readonly ConcurrentDictionary<int, ParsedSchema> _parsed = new();

    /// <summary>Creates a registry over the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public SchemaRegistry(string connectionString, IEnumerable<ISchemaFormat> formats)
        : this(NpgsqlDataSource.Create(connectionString), formats, ownsDataSource: true)
    {
    }

    /// <summary>Creates a registry over <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    public SchemaRegistry(NpgsqlDataSource dataSource, IEnumerable<ISchemaFormat> formats)
        : this(dataSource, formats, ownsDataSource: false)
    {
    }

    private SchemaRegistry(NpgsqlDataSource dataSource, IEnumerable<ISchemaFormat> formats, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(formats);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _formats = formats.ToDictionary(f => f.SchemaType, StringComparer.Ordinal);
    }

    /// <summary>The schema types this registry accepts.</summary>
    public IReadOnlyCollection<string> SupportedSchemaTypes => _formats.Keys;

    /// <summary>Creates or upgrades the registry's tables. Idempotent and safe to run from several hosts at once.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        RegistryMigrations.ApplyAsync(_dataSource, cancellationToken);

    /// <summary>The subjects that have a version (soft-deleted ones too with <paramref name="includeDeleted"/>).</summary>
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(bool includeDeleted = false, string? prefix = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var subjects = await RegistryStore.GetSubjectsAsync(connection, prefix, cancellationToken);
        return subjects.Where(s => includeDeleted || s.Live).Select(s => s.Subject).ToList();
    }

    /// <summary>The version numbers of <paramref name="subject"/>, ascending.</summary>
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, bool includeDeleted = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = Visible(subject, await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken), includeDeleted);
        return rows.Select(r => r.Version).ToList();
    }

    /// <summary>One version of a subject, or its latest.</summary>
    public async Task<RegisteredSchema> GetVersionAsync(string subject, VersionSpec version, bool includeDeleted = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = Visible(subject, await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken), includeDeleted);
        var row = Find(subject, rows, version);
        return ToRegistered(row, await GetStoredAsync(connection, row.SchemaId, cancellationToken));
    }

    /// <summary>
    /// Every registered version whose subject starts with <paramref name="prefix"/> (soft-deleted ones with
    /// <paramref name="includeDeleted"/>), or only each subject's latest with <paramref name="latestOnly"/>.
    /// </summary>
    public async Task<IReadOnlyList<RegisteredSchema>> GetSchemasAsync(string? prefix = null, bool includeDeleted = false,
        bool latestOnly = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = (await RegistryStore.GetAllVersionsAsync(connection, prefix, cancellationToken))
            .Where(r => includeDeleted || !r.Deleted);
        if (latestOnly)
        {
            rows = rows.GroupBy(r => r.Subject, StringComparer.Ordinal).Select(g => g.Last());
        }

        var schemas = new List<RegisteredSchema>();
        foreach (var row in rows.ToList())
        {
            schemas.Add(ToRegistered(row, await GetStoredAsync(connection, row.SchemaId, cancellationToken)));
        }

        return schemas;
    }

    /// <summary>The ids of the schemas that reference <paramref name="subject"/> at <paramref name="version"/>.</summary>
    public async Task<IReadOnlyList<int>> GetReferencedByAsync(string subject, VersionSpec version,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = Visible(subject, await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken), false);
        var row = Find(subject, rows, version);
        return await RegistryStore.GetReferencedByAsync(connection, subject, row.Version, liveOnly: true, cancellationToken);
    }

    /// <summary>The schema with global id <paramref name="id"/>.</summary>
    public async Task<StoredSchema> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // A schema whose every registration was permanently deleted keeps its id for a re-registration, but
        // is gone for readers, as in Confluent's registry: registeredOnly checks that in the same round trip.
        return await RegistryStore.GetSchemaAsync(connection, id, cancellationToken, registeredOnly: true)
            ?? throw SchemaRegistryException.SchemaNotFound(id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The subjects and versions schema <paramref name="id"/> is registered under.</summary>
    public async Task<IReadOnlyList<SubjectVersion>> GetSubjectVersionsOfSchemaAsync(int id, bool includeDeleted = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = (await RegistryStore.GetVersionsOfSchemaAsync(connection, id, cancellationToken))
            .Where(r => includeDeleted || !r.Deleted)
            .Select(r => new SubjectVersion(r.Subject, r.Version))
            .ToList();
        return rows.Count > 0 ? rows : throw SchemaRegistryException.SchemaNotFound(id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Registers <paramref name="submission"/> under <paramref name="subject"/> and returns its global id and
    /// version. A schema already registered there (same normalized form and references) returns its existing
    /// version; otherwise the schema must be compatible with the subject's earlier versions at the subject's
    /// compatibility level (not checked in IMPORT mode).
    /// </summary>
    public async Task<(int Id, int Version)> RegisterAsync(string subject, SchemaSubmission submission, bool normalize = false,
        CancellationToken cancellationToken = default)
    {
        ValidateSubject(subject);
        await using var connection = await OpenAsync(cancellationToken);
        var (parsed, references) = await ParseSubmissionAsync(connection, submission, cancellationToken);
        var identity = Identity(parsed, references);
        var text = normalize ? parsed.Normalized : submission.Schema;

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await RegistryStore.LockForRegistrationAsync(connection, subject, identity, cancellationToken);
        var mode = state.Settings.Mode;
        if (mode.IsReadOnly())
        {
            throw SchemaRegistryException.NotPermitted($"Subject '{subject}' is in read-only mode.");
        }

        var rows = state.Versions;
        var existingId = state.ExistingId;
        if (submission.Id is { } requestedId && existingId is { } known && known != requestedId)
        {
            throw SchemaRegistryException.NotPermitted(
                $"The schema is already registered with id {known}; it cannot be registered again with id {requestedId}.");
        }

        if (existingId is { } id0 && rows.FirstOrDefault(r => !r.Deleted && r.SchemaId == id0) is { Subject: not null } same
            && (submission.Version is null || submission.Version == same.Version))
        {
            return (id0, same.Version);
        }

        if (mode != RegistryMode.Import)
        {
            if (submission.Id is { } id1 && existingId != id1)
            {
                throw SchemaRegistryException.NotPermitted(
                    $"Subject '{subject}' is not in import mode: a schema id ({id1}) may only be given in IMPORT mode.");
            }

            var reasons = await CheckAgainstAsync(connection, parsed, rows.Where(r => !r.Deleted).ToList(), state.Settings.Compatibility,
                cancellationToken);
            if (reasons.Count > 0)
            {
                throw SchemaRegistryException.Incompatible(
                    $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [" +
                    string.Join(", ", reasons) + "]");
            }
        }

        var id = existingId ?? submission.Id ?? state.NextId;
        if (existingId is null && submission.Id is not null
            && await RegistryStore.GetSchemaAsync(connection, id, cancellationToken) is not null)
        {
            throw SchemaRegistryException.NotPermitted($"Overwrite new schema with id {id} is not permitted.");
        }

        int version;
        if (submission.Version is { } requestedVersion && mode == RegistryMode.Import)
        {
            if (requestedVersion <= 0)
            {
                throw SchemaRegistryException.InvalidVersion(requestedVersion.ToString(CultureInfo.InvariantCulture));
            }

            if (rows.Any(r => r.Version == requestedVersion))
            {
                throw SchemaRegistryException.NotPermitted(
                    $"Version {requestedVersion} of subject '{subject}' already exists with another schema.");
            }

            version = requestedVersion;
        }
        else
        {
            // Soft-deleted versions keep their numbers: a new version always comes after all of them.
            version = rows.Count == 0 ? 1 : rows.Max(r => r.Version) + 1;
        }

        var newSchema = existingId is null ? new StoredSchema(id, parsed.Format.SchemaType, text, references) : null;
        await RegistryStore.InsertRegistrationAsync(connection, newSchema, identity, subject, version, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (id, version);
    }

    /// <summary>Finds <paramref name="submission"/> among the versions of <paramref name="subject"/>.</summary>
    public async Task<RegisteredSchema> LookUpAsync(string subject, SchemaSubmission submission, bool normalize = false,
        bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        _ = normalize; // Identity is by the normalized form, so a normalized and a verbatim lookup find the same schema.
        await using var connection = await OpenAsync(cancellationToken);
        var rows = Visible(subject, await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken), includeDeleted);
        var (parsed, references) = await ParseSubmissionAsync(connection, submission, cancellationToken);
        var id = await RegistryStore.FindSchemaIdAsync(connection, Identity(parsed, references), cancellationToken);
        var row = rows.LastOrDefault(r => r.SchemaId == id);
        if (id is null || row.Subject is null)
        {
            throw new SchemaRegistryException(404, RegistryErrorCodes.SchemaNotFound,
                $"Schema not found under subject '{subject}'.");
        }

        return ToRegistered(row, await GetStoredAsync(connection, row.SchemaId, cancellationToken));
    }

    /// <summary>
    /// Why <paramref name="submission"/> would be rejected under <paramref name="subject"/>'s compatibility level:
    /// against one version, or with <c>null</c> against the versions the level checks. Empty when compatible.
    /// </summary>
    public async Task<IReadOnlyList<string>> TestCompatibilityAsync(string subject, VersionSpec? version,
        SchemaSubmission submission, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (parsed, _) = await ParseSubmissionAsync(connection, submission, cancellationToken);
        var rows = (await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken)).Where(r => !r.Deleted).ToList();
        var level = await GetEffectiveCompatibilityAsync(connection, subject, cancellationToken);
        if (version is { } spec && (rows.Count > 0 || !spec.IsLatest))
        {
            // Against one version the level only gives the direction.
            rows = [Find(subject, Visible(subject, rows, false), spec)];
        }

        return await CheckAgainstAsync(connection, parsed, rows, level, cancellationToken);
    }

    /// <summary>
    /// Deletes every version of <paramref name="subject"/>: softly (they stay readable by id and with
    /// <c>deleted=true</c>), or with <paramref name="permanent"/> for good, which requires a soft delete first.
    /// Returns the versions deleted.
    /// </summary>
    public Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false,
        CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<int>>(async connection =>
        {
            await EnsureWritableAsync(connection, subject, cancellationToken);
            var rows = await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken);
            if (rows.Count == 0)
            {
                throw SchemaRegistryException.SubjectNotFound(subject);
            }

            var live = rows.Where(r => !r.Deleted).ToList();
            if (permanent && live.Count > 0)
            {
                throw SchemaRegistryException.SubjectNotSoftDeleted(subject);
            }

            if (!permanent && live.Count == 0)
            {
                throw SchemaRegistryException.SubjectSoftDeleted(subject);
            }

            var targets = permanent ? rows : live;
            foreach (var row in targets)
            {
                await EnsureNotReferencedAsync(connection, row, permanent, cancellationToken);
            }

            var versions = targets.Select(r => r.Version).ToArray();
            await RegistryStore.DeleteVersionsAsync(connection, subject, versions, permanent, cancellationToken);
            if (permanent)
            {
                await RegistryStore.DeleteSettingAsync(connection, SettingTable.Compatibility, subject, cancellationToken);
                await RegistryStore.DeleteSettingAsync(connection, SettingTable.Mode, subject, cancellationToken);
            }

            return versions;
        }, cancellationToken);

    /// <summary>
    /// Deletes one version: softly, or with <paramref name="permanent"/> for good (after a soft delete).
    /// Returns the version number deleted.
    /// </summary>
    public Task<int> DeleteVersionAsync(string subject, VersionSpec version, bool permanent = false,
        CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            await EnsureWritableAsync(connection, subject, cancellationToken);
            var rows = await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken);
            if (rows.Count == 0 || (!permanent && rows.All(r => r.Deleted)))
            {
                throw SchemaRegistryException.SubjectNotFound(subject);
            }

            // "latest" is the latest live version for a soft delete, and the latest of all for a permanent one.
            var row = Find(subject, permanent ? rows : rows.Where(r => !r.Deleted || r.Version == version.Number).ToList(), version);
            if (!permanent && row.Deleted)
            {
                throw SchemaRegistryException.VersionSoftDeleted(subject, row.Version);
            }

            if (permanent && !row.Deleted)
            {
                throw SchemaRegistryException.VersionNotSoftDeleted(subject, row.Version);
            }

            await EnsureNotReferencedAsync(connection, row, permanent, cancellationToken);
            await RegistryStore.DeleteVersionsAsync(connection, subject, [row.Version], permanent, cancellationToken);
            return row.Version;
        }, cancellationToken);

    /// <summary>
    /// The compatibility level of <paramref name="subject"/> (or the global one for <c>null</c>). A subject
    /// without its own level fails with 40408 unless <paramref name="defaultToGlobal"/>.
    /// </summary>
    public async Task<CompatibilityLevel> GetCompatibilityAsync(string? subject, bool defaultToGlobal = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (subject is not null)
        {
            var own = await RegistryStore.GetSettingAsync(connection, SettingTable.Compatibility, subject, cancellationToken);
            if (own is not null)
            {
                return CompatibilityLevels.Parse(own);
            }

            if (!defaultToGlobal)
            {
                throw new SchemaRegistryException(404, RegistryErrorCodes.SubjectCompatibilityNotConfigured,
                    $"Subject '{subject}' does not have subject-level compatibility configured.");
            }
        }

        return await GetEffectiveCompatibilityAsync(connection, RegistryStore.GlobalKey, cancellationToken);
    }

    /// <summary>Sets the compatibility level of <paramref name="subject"/> (or the global one for <c>null</c>).</summary>
    public Task SetCompatibilityAsync(string? subject, CompatibilityLevel level, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            await RegistryStore.SetSettingAsync(connection, SettingTable.Compatibility, subject ?? RegistryStore.GlobalKey,
                level.ToWireName(), cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Removes the subject's own level (it then follows the global one), or resets the global level to
    /// BACKWARD. Returns the level in force before.
    /// </summary>
    public Task<CompatibilityLevel> DeleteCompatibilityAsync(string? subject, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            if (subject is not null && (await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken)).Count == 0)
            {
                throw SchemaRegistryException.SubjectNotFound(subject);
            }

            var before = await GetEffectiveCompatibilityAsync(connection, subject ?? RegistryStore.GlobalKey, cancellationToken);
            await RegistryStore.DeleteSettingAsync(connection, SettingTable.Compatibility, subject ?? RegistryStore.GlobalKey,
                cancellationToken);
            return before;
        }, cancellationToken);

    /// <summary>
    /// The mode of <paramref name="subject"/> (or the global one for <c>null</c>). A subject without its own
    /// mode fails with 40409 unless <paramref name="defaultToGlobal"/>.
    /// </summary>
    public async Task<RegistryMode> GetModeAsync(string? subject, bool defaultToGlobal = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (subject is not null)
        {
            var own = await RegistryStore.GetSettingAsync(connection, SettingTable.Mode, subject, cancellationToken);
            if (own is not null)
            {
                return RegistryModes.Parse(own);
            }

            if (!defaultToGlobal)
            {
                throw new SchemaRegistryException(404, RegistryErrorCodes.SubjectModeNotConfigured,
                    $"Subject '{subject}' does not have subject-level mode configured.");
            }
        }

        return await GetEffectiveModeAsync(connection, RegistryStore.GlobalKey, cancellationToken);
    }

    /// <summary>
    /// Sets the mode of <paramref name="subject"/> (or the global one for <c>null</c>). IMPORT requires the
    /// subject (or the whole registry) to be empty unless <paramref name="force"/>.
    /// </summary>
    public Task SetModeAsync(string? subject, RegistryMode mode, bool force = false, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            if (mode == RegistryMode.Import && !force)
            {
                var hasSchemas = subject is null
                    ? await RegistryStore.AnySchemaRegisteredAsync(connection, cancellationToken)
                    : (await RegistryStore.GetVersionsAsync(connection, subject, cancellationToken)).Count > 0;
                if (hasSchemas)
                {
                    throw SchemaRegistryException.NotPermitted(
                        "Cannot import since found existing subjects. Set force=true to switch to IMPORT mode anyway.");
                }
            }

            await RegistryStore.SetSettingAsync(connection, SettingTable.Mode, subject ?? RegistryStore.GlobalKey,
                mode.ToWireName(), cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary>Removes the subject's own mode (or resets the global one to READWRITE); returns the mode before.</summary>
    public Task<RegistryMode> DeleteModeAsync(string? subject, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            var before = await GetEffectiveModeAsync(connection, subject ?? RegistryStore.GlobalKey, cancellationToken);
            await RegistryStore.DeleteSettingAsync(connection, SettingTable.Mode, subject ?? RegistryStore.GlobalKey, cancellationToken);
            return before;
        }, cancellationToken);

    /// <summary>Parses a schema (with its references) as the registry would, failing with 42201 when it is invalid.</summary>
    public async Task<ParsedSchema> ParseAsync(SchemaSubmission submission, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await ParseSubmissionAsync(connection, submission, cancellationToken)).Parsed;
    }

    /// <summary>The parsed form of the schema with global id <paramref name="id"/>.</summary>
    public async Task<ParsedSchema> GetParsedSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_parsed.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await GetParsedAsync(connection, id, 0, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new SchemaRegistryException(500, RegistryErrorCodes.StoreError,
                "Error while opening a connection to the registry's PostgreSQL store: " + e.Message, e);
        }
    }

    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RegistryStore.LockWritesAsync(connection, cancellationToken);
        var result = await write(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static void ValidateSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Any(char.IsControl))
        {
            throw SchemaRegistryException.BadRequest($"Invalid subject name '{subject}'.");
        }
    }

    private static List<VersionRow> Visible(string subject, List<VersionRow> rows, bool includeDeleted)
    {
        var visible = includeDeleted ? rows : rows.Where(r => !r.Deleted).ToList();
        return visible.Count > 0 ? visible : throw SchemaRegistryException.SubjectNotFound(subject);
    }

    private static VersionRow Find(string subject, List<VersionRow> rows, VersionSpec version)
    {
        if (version.Number is not { } number)
        {
            return rows.Count > 0 ? rows[^1] : throw SchemaRegistryException.SubjectNotFound(subject);
        }

        var row = rows.FirstOrDefault(r => r.Version == number);
        return row.Subject is not null ? row : throw SchemaRegistryException.VersionNotFound(subject, number);
    }

    private static RegisteredSchema ToRegistered(VersionRow row, StoredSchema schema) =>
        new(row.Subject, schema.Id, row.Version, schema.SchemaType, schema.Schema, schema.References);

    private static async Task<StoredSchema> GetStoredAsync(NpgsqlConnection connection, int id, CancellationToken cancellationToken) =>
        await RegistryStore.GetSchemaAsync(connection, id, cancellationToken)
        ?? throw SchemaRegistryException.SchemaNotFound(id.ToString(CultureInfo.InvariantCulture));

    private async Task EnsureWritableAsync(NpgsqlConnection connection, string subject, CancellationToken cancellationToken)
    {
        if ((await GetEffectiveModeAsync(connection, subject, cancellationToken)).IsReadOnly())
        {
            throw SchemaRegistryException.NotPermitted($"Subject '{subject}' is in read-only mode.");
        }
    }

    private static async Task EnsureNotReferencedAsync(NpgsqlConnection connection, VersionRow row, bool permanent,
        CancellationToken cancellationToken)
    {
        var referencedBy = await RegistryStore.GetReferencedByAsync(connection, row.Subject, row.Version, liveOnly: !permanent,
            cancellationToken);
        if (referencedBy.Count > 0)
        {
            throw new SchemaRegistryException(422, RegistryErrorCodes.ReferenceExists,
                $"One or more references exist to the schema {{subject={row.Subject}, version={row.Version}}}: " +
                $"schema ids {string.Join(", ", referencedBy)}.");
        }
    }

    private static async Task<CompatibilityLevel> GetEffectiveCompatibilityAsync(NpgsqlConnection connection, string subject,
        CancellationToken cancellationToken) =>
        (await RegistryStore.GetSettingsAsync(connection, subject, cancellationToken)).Compatibility;

    private static async Task<RegistryMode> GetEffectiveModeAsync(NpgsqlConnection connection, string subject,
        CancellationToken cancellationToken) =>
        (await RegistryStore.GetSettingsAsync(connection, subject, cancellationToken)).Mode;

    private async Task<List<string>> CheckAgainstAsync(NpgsqlConnection connection, ParsedSchema candidate,
        List<VersionRow> previous, CompatibilityLevel level, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        if (level == CompatibilityLevel.None || previous.Count == 0)
        {
            return reasons;
        }

        var against = level.IsTransitive() || previous.Count == 1 ? previous : [previous[^1]];
        foreach (var row in against)
        {
            var earlier = await GetParsedAsync(connection, row.SchemaId, 0, cancellationToken);
            var found = new List<string>();
            if (!ReferenceEquals(earlier.Format, candidate.Format))
            {
                found.Add($"the schema type {candidate.Format.SchemaType} differs from {earlier.Format.SchemaType}");
            }
            else
            {
                if (level.ChecksBackward())
                {
                    found.AddRange(candidate.Format.CanRead(candidate, earlier).Select(r => "backward: the new schema cannot read data written with it: " + r));
                }

                if (level.ChecksForward())
                {
                    found.AddRange(candidate.Format.CanRead(earlier, candidate).Select(r => "forward: it cannot read data written with the new schema: " + r));
                }
            }

            reasons.AddRange(found.Select(r => $"version {row.Version} (id {row.SchemaId}): {r}"));
        }

        return reasons;
    }

    private async Task<(ParsedSchema Parsed, IReadOnlyList<SchemaReference> References)> ParseSubmissionAsync(
        NpgsqlConnection connection, SchemaSubmission submission, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(submission.Schema))
        {
            throw SchemaRegistryException.InvalidSchema("Empty schema.");
        }

        var references = submission.References ?? [];
        var parsed = await ParseAsync(connection, SchemaTypes.Normalize(submission.SchemaType), submission.Schema,
            references, 0, cancellationToken);
        return (parsed, references);
    }

    private async Task<ParsedSchema> ParseAsync(NpgsqlConnection connection, string schemaType, string text,
        IReadOnlyList<SchemaReference> references, int depth, CancellationToken cancellationToken)
    {
        if (!_formats.TryGetValue(schemaType, out var format))
        {
            throw SchemaRegistryException.InvalidSchema(
                $"Invalid schema type '{schemaType}'; this registry accepts {string.Join(", ", _formats.Keys)}.");
        }

        if (depth > MaxReferenceDepth)
        {
            throw SchemaRegistryException.InvalidSchema($"Schema references nest deeper than {MaxReferenceDepth} levels (a cycle?).");
        }

        var resolved = new List<KeyValuePair<string, ParsedSchema>>(references.Count);
        foreach (var reference in references)
        {
            if (string.IsNullOrEmpty(reference.Name) || string.IsNullOrEmpty(reference.Subject))
            {
                throw SchemaRegistryException.InvalidSchema("A schema reference needs a name, a subject and a version.");
            }

            var rows = await RegistryStore.GetVersionsAsync(connection, reference.Subject, cancellationToken);
            var row = reference.Version == -1 ? rows.LastOrDefault(r => !r.Deleted) : rows.FirstOrDefault(r => r.Version == reference.Version);
            if (row.Subject is null)
            {
                throw SchemaRegistryException.InvalidSchema(
                    $"Invalid schema reference '{reference.Name}': subject '{reference.Subject}' has no version {reference.Version}.");
            }

            resolved.Add(new(reference.Name, await GetParsedAsync(connection, row.SchemaId, depth + 1, cancellationToken)));
        }

        return format.Parse(text, resolved);
    }

    private async Task<ParsedSchema> GetParsedAsync(NpgsqlConnection connection, int id, int depth, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var stored = await GetStoredAsync(connection, id, cancellationToken);
        var parsed = await ParseAsync(connection, stored.SchemaType, stored.Schema, stored.References, depth, cancellationToken);
        return _parsed.GetOrAdd(id, parsed);
    }

    /// <summary>What makes two registrations the same schema: type, the format's canonical (identity) form and references.</summary>
    private static byte[] Identity(ParsedSchema parsed, IReadOnlyList<SchemaReference> references)
    {
        var key = new StringBuilder(parsed.Format.SchemaType).Append('\n').Append(parsed.Canonical);
        foreach (var reference in references)
        {
            key.Append('\n').Append(reference.Name).Append('\0').Append(reference.Subject).Append('\0')
                .Append(reference.Version.ToString(CultureInfo.InvariantCulture));
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()));
    }
}
