namespace Streams.Formats.Avro.Resolution;

/// <summary>Data written with one schema cannot be read with another; <see cref="Reasons"/> lists every reason.</summary>
public sealed class SchemaResolutionException : Exception
{
    /// <summary>Creates the exception from the reasons (at least one).</summary>
    public SchemaResolutionException(IReadOnlyList<SchemaIncompatibility> reasons)
        : base("The writer's schema cannot be read with the reader's schema: " + string.Join("; ", reasons))
    {
        Reasons = reasons;
    }

    /// <summary>Every reason, each with the reader's schema path.</summary>
    public IReadOnlyList<SchemaIncompatibility> Reasons { get; }
}
