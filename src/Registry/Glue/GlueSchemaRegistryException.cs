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

/// <summary>The Glue error types the schema registry operations answer with.</summary>
public static class GlueErrorTypes
{
    /// <summary>A registry, schema, version, metadata pair or tagged resource does not exist.</summary>
    public const string EntityNotFound = "EntityNotFoundException";

    /// <summary>A registry, schema or metadata pair of that name exists already.</summary>
    public const string AlreadyExists = "AlreadyExistsException";

    /// <summary>A parameter is missing, malformed or not allowed in this state.</summary>
    public const string InvalidInput = "InvalidInputException";

    /// <summary>A quota (registries, schemas, versions, metadata pairs, tags) would be exceeded.</summary>
    public const string ResourceNumberLimitExceeded = "ResourceNumberLimitExceededException";
}
