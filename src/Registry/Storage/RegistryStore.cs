using Npgsql;
using NpgsqlTypes;

namespace Streams.Registry.Storage;

/// <summary>
/// The SQL of the registry over one open connection (and its transaction, if any). Writes are only called
/// while <see cref="LockWritesAsync"/> is held, which makes every registration and delete serial across
/// hosts: ids and versions are read as max + 1 and cannot be handed out twice.
/// </summary>
internal static class RegistryStore
{
    private const long WriteLockKey = 0x53_52_57_52_49_54_45_53; // "SRWRITES"

    /// <summary>The key under which the global (not subject-level) compatibility and mode are stored.</summary>
    public const string GlobalKey = "";

    public static async Task LockWritesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", WriteLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the write lock and reads the state a registration of <paramref name="identity"/> under
    /// <paramref name="subject"/> depends on, in one batch.
    /// </summary>
    public static async Task<RegistrationState> LockForRegistrationAsync(NpgsqlConnection connection, string subject, byte[] identity,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.AddWithValue("key", WriteLockKey);
        batch.BatchCommands.Add(lockCommand);
        batch.BatchCommands.Add(SettingsCommand(subject));
        var versions = new NpgsqlBatchCommand(
            "SELECT subject, version, schema_id, deleted FROM registry.subject_versions WHERE subject = @subject ORDER BY version");
        versions.Parameters.AddWithValue("subject", subject);
        batch.BatchCommands.Add(versions);
        var existing = new NpgsqlBatchCommand("SELECT id FROM registry.schemas WHERE identity = @identity");
        existing.Parameters.AddWithValue("identity", NpgsqlDbType.Bytea, identity);
        batch.BatchCommands.Add(existing);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT coalesce(max(id), 0) + 1 FROM registry.schemas"));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var settings = await ReadSettingsAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<VersionRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new VersionRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetBoolean(3)));
        }

        await reader.NextResultAsync(cancellationToken);
        int? existingId = await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : null;
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RegistrationState(settings, rows, existingId, reader.GetInt32(0));
    }

    /// <summary>The compatibility and mode rows that apply to <paramref name="subject"/> (or, for <see cref="GlobalKey"/>, the global ones).</summary>
    public static async Task<SubjectSettings> GetSettingsAsync(NpgsqlConnection connection, string subject,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SettingsCommand(subject) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadSettingsAsync(reader, cancellationToken);
    }

    private static NpgsqlBatchCommand SettingsCommand(string subject)
    {
        var command = new NpgsqlBatchCommand(
            "SELECT 'c', subject, level FROM registry.compatibility WHERE subject IN ('', @subject) " +
            "UNION ALL SELECT 'm', subject, mode FROM registry.modes WHERE subject IN ('', @subject)");
        command.Parameters.AddWithValue("subject", subject);
        return command;
    }

    private static async Task<SubjectSettings> ReadSettingsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        string? globalCompatibility = null, subjectCompatibility = null, globalMode = null, subjectMode = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var global = reader.GetString(1).Length == 0;
            var value = reader.GetString(2);
            if (reader.GetString(0) == "c")
            {
                (global ? ref globalCompatibility : ref subjectCompatibility) = value;
            }
            else
            {
                (global ? ref globalMode : ref subjectMode) = value;
            }
        }

        return new SubjectSettings(globalCompatibility, subjectCompatibility, globalMode, subjectMode);
    }

    public static async Task<List<VersionRow>> GetVersionsAsync(
        NpgsqlConnection connection, string subject, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT subject, version, schema_id, deleted FROM registry.subject_versions WHERE subject = @subject ORDER BY version",
            connection);
        command.Parameters.AddWithValue("subject", subject);
        return await ReadVersionsAsync(command, cancellationToken);
    }

    public static async Task<List<VersionRow>> GetVersionsOfSchemaAsync(
        NpgsqlConnection connection, int schemaId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT subject, version, schema_id, deleted FROM registry.subject_versions WHERE schema_id = @id ORDER BY subject, version",
            connection);
        command.Parameters.AddWithValue("id", schemaId);
        return await ReadVersionsAsync(command, cancellationToken);
    }

    /// <summary>Every version of every subject whose name starts with <paramref name="prefix"/>, by subject and version.</summary>
    public static async Task<List<VersionRow>> GetAllVersionsAsync(
        NpgsqlConnection connection, string? prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT subject, version, schema_id, deleted FROM registry.subject_versions " +
            "WHERE @prefix = '' OR starts_with(subject, @prefix) ORDER BY subject, version",
            connection);
        command.Parameters.AddWithValue("prefix", prefix ?? "");
        return await ReadVersionsAsync(command, cancellationToken);
    }

    private static async Task<List<VersionRow>> ReadVersionsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<VersionRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new VersionRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetBoolean(3)));
        }

        return rows;
    }

    /// <summary>Every subject with at least one version, and whether it has a version that is not soft-deleted.</summary>
    public static async Task<List<(string Subject, bool Live)>> GetSubjectsAsync(
        NpgsqlConnection connection, string? prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT subject, bool_or(NOT deleted) FROM registry.subject_versions " +
            "WHERE @prefix = '' OR starts_with(subject, @prefix) GROUP BY subject ORDER BY subject",
            connection);
        command.Parameters.AddWithValue("prefix", prefix ?? "");
        var subjects = new List<(string, bool)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            subjects.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return subjects;
    }

    /// <summary>
    /// Schema <paramref name="id"/> with its references, or null; with <paramref name="registeredOnly"/> also null when no
    /// subject version (deleted or not) points at it, checked in the same round trip.
    /// </summary>
    public static async Task<StoredSchema?> GetSchemaAsync(
        NpgsqlConnection connection, int id, CancellationToken cancellationToken, bool registeredOnly = false)
    {
        await using var command = new NpgsqlCommand(
            "SELECT schema_type, schema_text FROM registry.schemas WHERE id = @id" +
            (registeredOnly ? " AND EXISTS (SELECT 1 FROM registry.subject_versions WHERE schema_id = @id); " : "; ") +
            "SELECT name, subject, version FROM registry.schema_references WHERE schema_id = @id ORDER BY position;",
            connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var type = reader.GetString(0);
        var text = reader.GetString(1);
        await reader.NextResultAsync(cancellationToken);
        var references = new List<SchemaReference>();
        while (await reader.ReadAsync(cancellationToken))
        {
            references.Add(new SchemaReference(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return new StoredSchema(id, type, text, references);
    }

    public static async Task<int?> FindSchemaIdAsync(
        NpgsqlConnection connection, byte[] identity, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM registry.schemas WHERE identity = @identity", connection);
        command.Parameters.AddWithValue("identity", NpgsqlDbType.Bytea, identity);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    /// <summary>
    /// Inserts a registration: <paramref name="newSchema"/> first when the schema is new (with its references), then
    /// the subject's version pointing at <paramref name="schemaId"/>; one round trip.
    /// </summary>
    public static async Task InsertRegistrationAsync(NpgsqlConnection connection, StoredSchema? newSchema, byte[] identity,
        string subject, int version, int schemaId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (newSchema is not null)
        {
            var insert = new NpgsqlBatchCommand(
                "INSERT INTO registry.schemas (id, schema_type, schema_text, identity) VALUES (@id, @type, @text, @identity)");
            insert.Parameters.AddWithValue("id", newSchema.Id);
            insert.Parameters.AddWithValue("type", newSchema.SchemaType);
            insert.Parameters.AddWithValue("text", newSchema.Schema);
            insert.Parameters.AddWithValue("identity", NpgsqlDbType.Bytea, identity);
            batch.BatchCommands.Add(insert);
            for (var i = 0; i < newSchema.References.Count; i++)
            {
                var reference = newSchema.References[i];
                var command = new NpgsqlBatchCommand(
                    "INSERT INTO registry.schema_references (schema_id, position, name, subject, version) " +
                    "VALUES (@id, @position, @name, @subject, @version)");
                command.Parameters.AddWithValue("id", newSchema.Id);
                command.Parameters.AddWithValue("position", i);
                command.Parameters.AddWithValue("name", reference.Name);
                command.Parameters.AddWithValue("subject", reference.Subject);
                command.Parameters.AddWithValue("version", reference.Version);
                batch.BatchCommands.Add(command);
            }
        }

        var insertVersion = new NpgsqlBatchCommand(
            "INSERT INTO registry.subject_versions (subject, version, schema_id) VALUES (@subject, @version, @id)");
        insertVersion.Parameters.AddWithValue("subject", subject);
        insertVersion.Parameters.AddWithValue("version", version);
        insertVersion.Parameters.AddWithValue("id", schemaId);
        batch.BatchCommands.Add(insertVersion);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Soft-deletes (or with <paramref name="permanent"/> removes) the given versions of a subject.</summary>
    public static async Task DeleteVersionsAsync(NpgsqlConnection connection, string subject, int[] versions,
        bool permanent, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            permanent
                ? "DELETE FROM registry.subject_versions WHERE subject = @subject AND version = ANY(@versions)"
                : "UPDATE registry.subject_versions SET deleted = true WHERE subject = @subject AND version = ANY(@versions)",
            connection);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("versions", versions);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The ids of schemas that reference <paramref name="subject"/> at <paramref name="version"/> and are
    /// still registered (soft-deleted registrations included) under some subject.
    /// </summary>
    public static async Task<List<int>> GetReferencedByAsync(NpgsqlConnection connection, string subject, int version,
        bool liveOnly, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT r.schema_id FROM registry.schema_references r " +
            "WHERE r.subject = @subject AND r.version = @version AND EXISTS (" +
            "SELECT 1 FROM registry.subject_versions v WHERE v.schema_id = r.schema_id AND (NOT @live OR NOT v.deleted)) " +
            "ORDER BY r.schema_id",
            connection);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("live", liveOnly);
        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    /// <summary>Reads a subject-level (or, for <see cref="GlobalKey"/>, global) setting of <paramref name="table"/>.</summary>
    public static async Task<string?> GetSettingAsync(NpgsqlConnection connection, SettingTable table, string subject,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ValueColumn(table)} FROM registry.{TableName(table)} WHERE subject = @subject", connection);
        command.Parameters.AddWithValue("subject", subject);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public static async Task SetSettingAsync(NpgsqlConnection connection, SettingTable table, string subject, string value,
        CancellationToken cancellationToken)
    {
        var column = ValueColumn(table);
        await using var command = new NpgsqlCommand(
            $"INSERT INTO registry.{TableName(table)} (subject, {column}) VALUES (@subject, @value) " +
            $"ON CONFLICT (subject) DO UPDATE SET {column} = excluded.{column}",
            connection);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes a setting; returns the value it had, or <c>null</c>.</summary>
    public static async Task<string?> DeleteSettingAsync(NpgsqlConnection connection, SettingTable table, string subject,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"DELETE FROM registry.{TableName(table)} WHERE subject = @subject RETURNING {ValueColumn(table)}", connection);
        command.Parameters.AddWithValue("subject", subject);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public static async Task<bool> AnySchemaRegisteredAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM registry.subject_versions)", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string TableName(SettingTable table) => table == SettingTable.Compatibility ? "compatibility" : "modes";

    private static string ValueColumn(SettingTable table) => table == SettingTable.Compatibility ? "level" : "mode";
}

/// <summary>The two per-subject settings.</summary>
internal enum SettingTable
{
    Compatibility,
    Mode,
}
