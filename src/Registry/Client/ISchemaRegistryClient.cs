namespace Streams.Registry.Client;

/// <summary>The operations of a schema registry that producers, consumers and tools use.</summary>
public interface ISchemaRegistryClient
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (or finds it there) and returns its id.</summary>
    Task<int> RegisterSchemaAsync(string subject, SchemaSubmission schema, bool normalize = false,
        CancellationToken cancellationToken = default);

    /// <summary>Finds <paramref name="schema"/> among the versions of <paramref name="subject"/> (error 40403 when absent).</summary>
    Task<RegisteredSchema> LookUpSchemaAsync(string subject, SchemaSubmission schema, bool normalize = false,
        CancellationToken cancellationToken = default);

    /// <summary>The schema with global id <paramref name="id"/>.</summary>
    Task<StoredSchema> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>One version of a subject.</summary>
    Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default);

    /// <summary>The version whose UUID (Glue's schema version id) is <paramref name="versionId"/> (error 40402 when none is).</summary>
    Task<RegisteredSchema> GetSchemaByVersionIdAsync(Guid versionId, CancellationToken cancellationToken = default);

    /// <summary>The UUID (Glue's schema version id) of one version of a subject.</summary>
    Task<Guid> GetVersionIdAsync(string subject, int version, CancellationToken cancellationToken = default);

    /// <summary>The latest version of a subject.</summary>
    Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>The subjects (soft-deleted ones too with <paramref name="includeDeleted"/>).</summary>
    Task<IReadOnlyList<string>> GetSubjectsAsync(bool includeDeleted = false, CancellationToken cancellationToken = default);

    /// <summary>The versions of a subject.</summary>
    Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Why <paramref name="schema"/> is incompatible with <paramref name="subject"/> at <paramref name="version"/>
    /// (<c>null</c>: the versions its compatibility level checks); empty when it is compatible.
    /// </summary>
    Task<IReadOnlyList<string>> TestCompatibilityAsync(string subject, SchemaSubmission schema, int? version = null,
        CancellationToken cancellationToken = default);

    /// <summary>The compatibility level of a subject (falling back to the global one), or the global one for <c>null</c>.</summary>
    Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Sets the compatibility level of a subject, or the global one for <c>null</c>.</summary>
    Task SetCompatibilityAsync(string? subject, CompatibilityLevel level, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subject (softly, or permanently after a soft delete); returns the versions deleted.</summary>
    Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default);
}
