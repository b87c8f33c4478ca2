using Npgsql;
using Streams.Registry.Storage;

namespace Streams.Registry;

// Compatibility levels and modes, per subject or global.
public sealed partial class SchemaRegistry
{
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

    private static async Task<CompatibilityLevel> GetEffectiveCompatibilityAsync(NpgsqlConnection connection, string subject,
        CancellationToken cancellationToken) =>
        (await RegistryStore.GetSettingsAsync(connection, subject, cancellationToken)).Compatibility;

    private static async Task<RegistryMode> GetEffectiveModeAsync(NpgsqlConnection connection, string subject,
        CancellationToken cancellationToken) =>
        (await RegistryStore.GetSettingsAsync(connection, subject, cancellationToken)).Mode;
}
