using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Streams.Registry.Formats;
using Streams.Registry.Storage;

namespace Streams.Registry;

// Registering schemas, looking them up, and the compatibility checks both need.
public sealed partial class SchemaRegistry
{
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

    private async Task EnsureWritableAsync(NpgsqlConnection connection, string subject, CancellationToken cancellationToken)
    {
        if ((await GetEffectiveModeAsync(connection, subject, cancellationToken)).IsReadOnly())
        {
            throw SchemaRegistryException.NotPermitted($"Subject '{subject}' is in read-only mode.");
        }
    }

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
