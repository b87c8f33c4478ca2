using Confluent.Kafka;

namespace Streams.Registry.Serdes;

/// <summary>A message names a schema id the registry does not have.</summary>
public sealed class UnknownSchemaIdException(int schemaId, SerializationContext context, Exception? innerException)
    : SchemaSerdesException($"Schema id {schemaId} is not in the registry", context, schemaId, innerException);
