using Streams.Catalog;

namespace Streams.Jobs;

/// <summary>A job already has <c>MaxConcurrentRuns</c> runs in progress.</summary>
public sealed class ConcurrentRunsExceededException(string message) : CatalogException("ConcurrentRunsExceededException", message);

/// <summary>The workflow (or its run) is in a state that does not allow the operation.</summary>
public sealed class IllegalWorkflowStateException(string message) : CatalogException("IllegalWorkflowStateException", message);
