using Confluent.Kafka;

namespace Streams.Registry.Serdes;

/// <summary>A message in Glue's wire format names a schema version UUID the registry does not have.</summary>
public sealed class UnknownSchemaVersionIdException(Guid versionId, SerializationContext context, Exception? innerException)
    : SchemaSerdesException($"Schema version {versionId} (Glue wire format) is not in the registry", context, null, innerException)
{
    /// <summary>The UUID the message names.</summary>
    public Guid VersionId { get; } = versionId;
}
