using System.Globalization;
using Npgsql;
using Streams.Registry.Storage;

namespace Streams.Registry;

// Reading subjects, versions and schemas.
public sealed partial class SchemaRegistry
{
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
}
