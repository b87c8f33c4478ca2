using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Streams.Host.Api;

/// <summary>
/// Gives the requests Kestrel or the routing refuse before an endpoint answers (a body over the size limit, an
/// over-long URL, a NUL byte in the path or query, no such route) a JSON error instead of an empty body. The body
/// carries both error shapes the API's clients read: AWS's <c>__type</c>/<c>Message</c> (Glue) and Confluent's
/// <c>error_code</c>/<c>message</c> (registry).
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next)
{
    /// <summary>The longest path and query accepted; Kestrel's request line limit is set above it so this check answers first.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>The largest request body accepted (Kestrel refuses bigger ones while the body is read).</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var url = request.Path.Value + request.QueryString.Value;
        if (url.Length > MaxUrlLength)
        {
            await WriteAsync(context, StatusCodes.Status414UriTooLong, "UriTooLongException",
                $"The URL has {url.Length} characters; at most {MaxUrlLength} are accepted.");
            return;
        }

        if (url.Contains('\0', StringComparison.Ordinal) || url.Contains("%00", StringComparison.Ordinal))
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "InvalidInputException",
                "The URL contains a NUL byte, which no name or parameter may hold.");
            return;
        }

        try
        {
            await next(context);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than the {MaxBodyBytes / (1024 * 1024)} MiB accepted."
                : $"The request is malformed: {e.Message}";
            await WriteAsync(context, e.StatusCode,
                e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "RequestEntityTooLargeException" : "SerializationException", message);
            return;
        }

        if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null or 0 } && context.Response.ContentType is null)
        {
            await WriteAsync(context, context.Response.StatusCode,
                context.Response.StatusCode == StatusCodes.Status404NotFound ? "UnknownOperationException" : "InvalidInputException",
                context.Response.StatusCode == StatusCodes.Status404NotFound
                    ? $"No endpoint serves {request.Method} {request.Path}."
                    : $"The request was refused with HTTP {context.Response.StatusCode}.");
        }
    }

    /// <summary>Sets Kestrel's limits so that <see cref="ApiErrorMiddleware"/> sees over-long URLs and large bodies first.</summary>
    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions options)
    {
        options.Limits.MaxRequestBodySize = MaxBodyBytes;
        options.Limits.MaxRequestLineSize = 8 * MaxUrlLength;
        options.Limits.MaxRequestHeadersTotalSize = 16 * MaxUrlLength;
    }

    private static async Task WriteAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            ["__type"] = type,
            ["Message"] = message,
            ["error_code"] = status,
            ["message"] = message,
        }, cancellationToken: context.RequestAborted);
    }
}
