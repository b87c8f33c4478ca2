using Npgsql;

namespace Streams.Registry;

// Every subject version also has a UUID: the identity Glue's API and its wire format use for a schema version.
public sealed partial class SchemaRegistry
{
    /// <summary>The live (not soft-deleted) version whose UUID is <paramref name="versionId"/>, with that UUID.</summary>
    /// <exception cref="SchemaRegistryException">Error 40402 when no live version has that UUID.</exception>
    public async Task<RegisteredSchema> GetVersionAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT subject, version, schema_id FROM registry.subject_versions WHERE version_id = @id AND NOT deleted", connection);
        command.Parameters.AddWithValue("id", versionId);
        string subject;
        int version, schemaId;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new SchemaRegistryException(404, RegistryErrorCodes.VersionNotFound, $"No schema version has the id {versionId}.");
            }

            (subject, version, schemaId) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
        }

        var stored = await GetStoredAsync(connection, schemaId, cancellationToken);
        return new RegisteredSchema(subject, schemaId, version, stored.SchemaType, stored.Schema, stored.References) { VersionId = versionId };
    }

    /// <summary>One live version of a subject (or its latest) with its UUID.</summary>
    public async Task<RegisteredSchema> GetVersionWithIdAsync(string subject, VersionSpec version, CancellationToken cancellationToken = default)
    {
        var found = await GetVersionAsync(subject, version, includeDeleted: false, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT version_id FROM registry.subject_versions WHERE subject = @subject AND version = @version", connection);
        command.Parameters.AddWithValue("subject", found.Subject);
        command.Parameters.AddWithValue("version", found.Version);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id
            ? found with { VersionId = id }
            : throw SchemaRegistryException.VersionNotFound(subject, found.Version);
    }
}
