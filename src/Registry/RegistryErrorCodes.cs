namespace Streams.Registry;

/// <summary>Confluent Schema Registry's error codes, returned in <c>error_code</c> of an error body.</summary>
public static class RegistryErrorCodes
{
    /// <summary>The subject does not exist (or has only soft-deleted versions and <c>deleted</c> was not asked).</summary>
    public const int SubjectNotFound = 40401;

    /// <summary>The version does not exist under the subject.</summary>
    public const int VersionNotFound = 40402;

    /// <summary>No schema with that id, or the schema is not registered under the subject.</summary>
    public const int SchemaNotFound = 40403;

    /// <summary>The subject was soft-deleted already.</summary>
    public const int SubjectSoftDeleted = 40404;

    /// <summary>A permanent delete of a subject that was not soft-deleted first.</summary>
    public const int SubjectNotSoftDeleted = 40405;

    /// <summary>The version was soft-deleted already.</summary>
    public const int VersionSoftDeleted = 40406;

    /// <summary>A permanent delete of a version that was not soft-deleted first.</summary>
    public const int VersionNotSoftDeleted = 40407;

    /// <summary>The subject has no subject-level compatibility level and <c>defaultToGlobal</c> was not set.</summary>
    public const int SubjectCompatibilityNotConfigured = 40408;

    /// <summary>The subject has no subject-level mode and <c>defaultToGlobal</c> was not set.</summary>
    public const int SubjectModeNotConfigured = 40409;

    /// <summary>The schema is incompatible with the subject's earlier versions (HTTP 409).</summary>
    public const int IncompatibleSchema = 409;

    /// <summary>The schema does not parse, or a reference does not resolve.</summary>
    public const int InvalidSchema = 42201;

    /// <summary>The version is not a positive 32-bit integer or <c>latest</c>.</summary>
    public const int InvalidVersion = 42202;

    /// <summary>The compatibility level is not one of the seven levels.</summary>
    public const int InvalidCompatibilityLevel = 42203;

    /// <summary>The mode is not READWRITE, READONLY, READONLY_OVERRIDE or IMPORT.</summary>
    public const int InvalidMode = 42204;

    /// <summary>The mode forbids the operation (a write in READONLY, an id outside IMPORT...).</summary>
    public const int OperationNotPermitted = 42205;

    /// <summary>The version is referenced by another schema and cannot be deleted.</summary>
    public const int ReferenceExists = 42206;

    /// <summary>The backing PostgreSQL store failed.</summary>
    public const int StoreError = 50001;
}
