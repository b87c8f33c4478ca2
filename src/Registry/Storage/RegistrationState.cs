namespace Streams.Registry.Storage;

/// <summary>Everything a registration decides on, read in one round trip under the write lock.</summary>
/// <param name="Settings">The compatibility and mode rows of the subject and of the registry.</param>
/// <param name="Versions">Every version of the subject, soft-deleted ones included, ascending.</param>
/// <param name="ExistingId">The id of a schema with the same identity, if one was ever registered.</param>
/// <param name="NextId">The id a new schema gets: one more than the largest.</param>
internal sealed record RegistrationState(SubjectSettings Settings, List<VersionRow> Versions, int? ExistingId, int NextId);
