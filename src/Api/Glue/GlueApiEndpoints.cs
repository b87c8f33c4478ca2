using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Storage;

namespace Streams.Api.Glue;

/// <summary>
/// The Glue-compatible HTTP endpoint: AWS JSON 1.1 at <c>POST /</c>, the operation named by the
/// <c>X-Amz-Target: AWSGlue.&lt;Operation&gt;</c> header, answers in <c>application/x-amz-json-1.1</c>, errors as
/// <c>{"__type": ..., "Message": ...}</c> with HTTP 400 (403 for authentication failures).
/// </summary>
public static class GlueApiEndpoints
{
    private const string ContentType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "AWSGlue.";

    /// <summary>Maps the Glue API at <c>POST /</c>. Needs the services of <c>AddGlueCatalog</c>.</summary>
    public static IEndpointConventionBuilder MapGlueApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost("/", HandleAsync).DisableAntiforgery();
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 400, "UnknownOperationException",
                $"X-Amz-Target must be {TargetPrefix}<Operation>, got '{target}'.");
            return;
        }

        if (!IsJsonMediaType(context.Request.ContentType))
        {
            // As AWS: a JSON 1.1 API reads only JSON bodies, so a form or text/plain body is refused before it is read.
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaTypeException",
                $"Content-Type must be {ContentType} (or application/json), got '{context.Request.ContentType}'.");
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (services.GetRequiredService<SigV4Verifier>().Verify(context.Request, body) is { } failure)
        {
            await WriteErrorAsync(context, 403, failure.ErrorType, failure.Message);
            return;
        }

        var operation = target[TargetPrefix.Length..];
        if (!services.GetRequiredService<GlueOperationTable>().TryGet(operation, out var handler))
        {
            await WriteErrorAsync(context, 400, "UnknownOperationException", $"Operation {operation} is not supported.");
            return;
        }

        try
        {
            using var document = body.Length == 0 ? JsonDocument.Parse("{}") : JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                // AWS JSON 1.1 inputs are structures; AWS refuses any other top-level value as a serialization error.
                await WriteErrorAsync(context, 400, "SerializationException",
                    $"The request body must be a JSON object, got {document.RootElement.ValueKind}.");
                return;
            }

            var result = await handler(new GlueRequest(operation, document.RootElement), cancellationToken);
            context.Response.StatusCode = 200;
            context.Response.ContentType = ContentType;
            await JsonSerializer.SerializeAsync(context.Response.Body, result, result.GetType(), CatalogJson.Options, cancellationToken);
        }
        catch (GlueServiceException e)
        {
            await WriteErrorAsync(context, 400, e.ErrorType, e.Message);
        }
        catch (CatalogException e)
        {
            await WriteErrorAsync(context, 400, e.ErrorCode, e.Message);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(context, 400, "SerializationException", $"The request body is not valid JSON: {e.Message}");
        }
        catch (LakePathException e)
        {
            await WriteErrorAsync(context, 400, "InvalidInputException", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GlueApiEndpoints))
                .LogError(e, "Glue operation {Operation} failed", operation);
            await WriteErrorAsync(context, 500, "InternalServiceException", e.Message);
        }
    }

    private static bool IsJsonMediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Value is { } type
        && (type.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string>
        {
            ["__type"] = type,
            ["Message"] = message,
        }, CatalogJson.Options, context.RequestAborted);
    }
}
