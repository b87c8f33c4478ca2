using Npgsql;
using Streams.Registry.Storage;

namespace Streams.Registry;

// Deleting subjects and versions, softly or for good.
public sealed partial class SchemaRegistry
{
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
}
