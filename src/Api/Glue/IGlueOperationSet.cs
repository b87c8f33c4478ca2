namespace Streams.Api.Glue;

/// <summary>Runs one Glue operation: takes the parsed request and returns the response object to serialize.</summary>
public delegate Task<object> GlueOperation(GlueRequest request, CancellationToken cancellationToken);

/// <summary>
/// A group of Glue operations one area of the product serves (the Data Catalog, jobs, the schema registry).
/// Each area registers its set as a singleton <see cref="IGlueOperationSet"/>; the Glue endpoint dispatches by
/// operation name across all of them, so an area adds operations without touching the others' files.
/// </summary>
public interface IGlueOperationSet
{
    /// <summary>The operations of this set, by their Glue names (<c>CreateDatabase</c>, ...).</summary>
    IReadOnlyDictionary<string, GlueOperation> Operations { get; }
}
