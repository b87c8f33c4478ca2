namespace Streams.Api.Glue;

/// <summary>
/// A Glue operation failed in a way the caller can act on; the endpoint answers HTTP 400 with
/// <see cref="ErrorType"/> as <c>__type</c>. Areas whose own exceptions are not <c>CatalogException</c>s translate
/// them into this one in their <see cref="IGlueOperationSet"/>.
/// </summary>
public sealed class GlueServiceException(string errorType, string message) : Exception(message)
{
    /// <summary>The Glue error type name, such as <c>EntityNotFoundException</c>.</summary>
    public string ErrorType { get; } = errorType;
}
