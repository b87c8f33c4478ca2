namespace Streams.Registry.Glue;

/// <summary>Glue's statuses of registries, schemas and versions.</summary>
public static class GlueStatuses
{
    /// <summary>Usable: every registry, schema and registered version here.</summary>
    public const string Available = "AVAILABLE";

    /// <summary>Glue's state of a version under an asynchronous check; this registry checks synchronously and never answers it.</summary>
    public const string Pending = "PENDING";

    /// <summary>A version its schema's compatibility refused.</summary>
    public const string Failure = "FAILURE";

    /// <summary>What a delete answers: the registry or schema is gone once the call returns.</summary>
    public const string Deleting = "DELETING";
}
