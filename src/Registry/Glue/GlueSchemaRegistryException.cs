namespace Streams.Registry.Glue;

/// <summary>
/// A Glue Schema Registry operation failed with one of Glue's error types (<see cref="GlueErrorTypes"/>); the Glue
/// endpoint answers it as <c>{"__type": ErrorType, "Message": ...}</c>.
/// </summary>
public sealed class GlueSchemaRegistryException(string errorType, string message) : Exception(message)
{
    /// <summary>The Glue error type, such as <c>EntityNotFoundException</c>.</summary>
    public string ErrorType { get; } = errorType;

    internal static GlueSchemaRegistryException NotFound(string message) => new(GlueErrorTypes.EntityNotFound, message);

    internal static GlueSchemaRegistryException Exists(string message) => new(GlueErrorTypes.AlreadyExists, message);

    internal static GlueSchemaRegistryException Invalid(string message) => new(GlueErrorTypes.InvalidInput, message);

    internal static GlueSchemaRegistryException Limit(string message) => new(GlueErrorTypes.ResourceNumberLimitExceeded, message);
}
