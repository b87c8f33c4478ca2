namespace Streams.Registry;

/// <summary>
/// A schema registry operation failed. Carries Confluent's HTTP status and error code
/// (<see cref="RegistryErrorCodes"/>), which the REST API returns as <c>{"error_code": N, "message": "..."}</c>
/// and which <see cref="Client.CachedSchemaRegistryClient"/> raises from such a response.
/// </summary>
public sealed class SchemaRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaRegistryException(int statusCode, int errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status code: 404, 409, 422, 500...</summary>
    public int StatusCode { get; }

    /// <summary>Confluent's error code: 40401, 42201...</summary>
    public int ErrorCode { get; }

    internal static SchemaRegistryException SubjectNotFound(string subject) =>
        new(404, RegistryErrorCodes.SubjectNotFound, $"Subject '{subject}' not found.");

    internal static SchemaRegistryException VersionNotFound(string subject, int version) =>
        new(404, RegistryErrorCodes.VersionNotFound, $"Version {version} not found for subject '{subject}'.");

    internal static SchemaRegistryException SchemaNotFound(string what) =>
        new(404, RegistryErrorCodes.SchemaNotFound, $"Schema {what} not found.");

    internal static SchemaRegistryException SubjectSoftDeleted(string subject) =>
        new(404, RegistryErrorCodes.SubjectSoftDeleted,
            $"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently.");

    internal static SchemaRegistryException SubjectNotSoftDeleted(string subject) =>
        new(404, RegistryErrorCodes.SubjectNotSoftDeleted,
            $"Subject '{subject}' was not deleted first before being permanently deleted.");

    internal static SchemaRegistryException VersionSoftDeleted(string subject, int version) =>
        new(404, RegistryErrorCodes.VersionSoftDeleted,
            $"Subject '{subject}' version {version} was soft deleted. Set permanent=true to delete permanently.");

    internal static SchemaRegistryException VersionNotSoftDeleted(string subject, int version) =>
        new(404, RegistryErrorCodes.VersionNotSoftDeleted,
            $"Subject '{subject}' version {version} was not deleted first before being permanently deleted.");

    internal static SchemaRegistryException Incompatible(string message) =>
        new(409, RegistryErrorCodes.IncompatibleSchema, message);

    internal static SchemaRegistryException InvalidSchema(string message) =>
        new(422, RegistryErrorCodes.InvalidSchema, message);

    internal static SchemaRegistryException InvalidVersion(string version) =>
        new(422, RegistryErrorCodes.InvalidVersion,
            $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\".");

    internal static SchemaRegistryException InvalidCompatibilityLevel(string? level) =>
        new(422, RegistryErrorCodes.InvalidCompatibilityLevel,
            $"Invalid compatibility level '{level}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, " +
            "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.");

    internal static SchemaRegistryException InvalidMode(string? mode) =>
        new(422, RegistryErrorCodes.InvalidMode,
            $"Invalid mode '{mode}'. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT.");

    internal static SchemaRegistryException NotPermitted(string message) =>
        new(422, RegistryErrorCodes.OperationNotPermitted, message);

    internal static SchemaRegistryException BadRequest(string message) =>
        new(400, 400, message);
}
