using Confluent.Kafka;

namespace Streams.Registry.Serdes;

/// <summary>
/// A message could not be serialized or deserialized with the registry's schemas. Carries the topic and
/// message part from the <see cref="SerializationContext"/>; Confluent.Kafka 1.9.3's context has no partition
/// or offset, which the consumer adds by wrapping this in a <see cref="ConsumeException"/>.
/// </summary>
public class SchemaSerdesException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaSerdesException(string message, SerializationContext context, int? schemaId = null, Exception? innerException = null)
        : base(Describe(message, context, schemaId), innerException)
    {
        Topic = context.Topic;
        Component = context.Component;
        SchemaId = schemaId;
    }

    /// <summary>The topic, or <c>null</c> when the context named none.</summary>
    public string? Topic { get; }

    /// <summary>Whether the key or the value failed.</summary>
    public MessageComponentType Component { get; }

    /// <summary>The schema id involved, when known.</summary>
    public int? SchemaId { get; }

    private static string Describe(string message, SerializationContext context, int? schemaId) =>
        $"{message} (topic '{context.Topic}', {(context.Component == MessageComponentType.Key ? "key" : "value")}" +
        (schemaId is { } id ? $", schema id {id})" : ")");
}
