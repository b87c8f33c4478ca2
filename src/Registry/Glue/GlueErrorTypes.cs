namespace Streams.Registry.Glue;

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
