namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// The outcome of resolving a writer's schema against a reader's (<see cref="SchemaResolver.Resolve"/>): a tree a
/// decoder compiles, or every reason the data cannot be read at all.
/// </summary>
public sealed class SchemaResolution
{
    internal SchemaResolution(ResolutionNode? root, IReadOnlyList<SchemaIncompatibility> errors,
        IReadOnlyList<SchemaIncompatibility> runtimeErrors)
    {
        Root = errors.Count == 0 ? root : null;
        Errors = errors;
        RuntimeErrors = runtimeErrors;
    }

    /// <summary>The resolution tree, or <c>null</c> when <see cref="Errors"/> is not empty.</summary>
    public ResolutionNode? Root { get; }

    /// <summary>True when the tree exists (some data may still fail: see <see cref="RuntimeErrors"/>).</summary>
    public bool IsSuccess => Root is not null;

    /// <summary>The reasons no datum at all can be read; empty on success.</summary>
    public IReadOnlyList<SchemaIncompatibility> Errors { get; }

    /// <summary>
    /// The reasons some data cannot be read: writer union branches the reader cannot read and writer enum
    /// symbols the reader lacks (with no default). The tree holds them as <see cref="FailedResolution"/> nodes
    /// and unmapped enum symbols, which fail only when such data is met, as the specification requires.
    /// </summary>
    public IReadOnlyList<SchemaIncompatibility> RuntimeErrors { get; }

    /// <summary>The tree; throws with every reason when resolution failed.</summary>
    /// <exception cref="SchemaResolutionException">The writer's data cannot be read with the reader's schema.</exception>
    public ResolutionNode GetRoot() => Root ?? throw new SchemaResolutionException(Errors);
}
