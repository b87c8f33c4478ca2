using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Streams.Registry;
using Streams.Registry.Rest;

namespace Streams.Api.Registry;

/// <summary>
/// A JSON answer in the content type the caller accepts: <c>application/vnd.schemaregistry.v1+json</c> unless
/// it asked for plain <c>application/json</c> only.
/// </summary>
internal sealed class RegistryResult : IResult
{
    private readonly byte[] _body;
    private readonly int _statusCode;

    private RegistryResult(byte[] body, int statusCode)
    {
        _body = body;
        _statusCode = statusCode;
    }

    public static RegistryResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, RegistryMediaTypes.SerializerOptions), statusCode);

    /// <summary>A schema text as the body: the <c>/schema</c> endpoints return the schema itself.</summary>
    public static RegistryResult Raw(string json) => new(Encoding.UTF8.GetBytes(json), StatusCodes.Status200OK);

    public static RegistryResult Error(int statusCode, int errorCode, string message) =>
        Json(new ErrorBody { ErrorCode = errorCode, Message = message }, statusCode);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = _statusCode;
        response.ContentType = ResponseType(httpContext.Request.Headers.Accept.ToString());
        response.ContentLength = _body.Length;
        await response.Body.WriteAsync(_body, httpContext.RequestAborted);
    }

    private static string ResponseType(string accept) =>
        accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
        && !accept.Contains("application/vnd.schemaregistry", StringComparison.OrdinalIgnoreCase)
            ? RegistryMediaTypes.ApplicationJson
            : RegistryMediaTypes.V1Json;
}
