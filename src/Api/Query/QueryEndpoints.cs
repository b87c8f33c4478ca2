using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Serving.Query;

namespace Streams.Api.Query;

/// <summary>
/// <c>POST /query</c>: read-only SQL over the serving views. The body is JSON
/// <c>{"sql": "...", "format": "json|csv|table"}</c> or the SQL as text/plain; the answer is the
/// result as JSON (<c>columns</c>, <c>rows</c>, <c>truncated</c>) or CSV / an aligned table; a refused or
/// failed query is 400 with <c>{"error": "..."}</c>.
/// </summary>
public static class QueryEndpoints
{
    /// <summary>Maps <c>POST /query</c>. Needs the services of <see cref="QueryServiceCollectionExtensions.AddServingQuery"/>.</summary>
    public static IEndpointRouteBuilder MapQuery(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var source = endpoints.ServiceProvider.GetRequiredService<ServingQuerySource>();
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(QueryEndpoints));
        endpoints.MapPost("/query", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            if (!source.IsConfigured)
            {
                return Results.Json(new { error = "Streams:Postgres:ConnectionString is not configured." }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            string? sql;
            var format = request.Query["format"].FirstOrDefault() ?? "json";
            if (request.HasJsonContentType())
            {
                JsonDocument body;
                try
                {
                    body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                }
                catch (JsonException e)
                {
                    return Error(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {e.Message}");
                }

                using (body)
                {
                    if (body.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return Error(StatusCodes.Status400BadRequest,
                            $"The request body must be a JSON object {{\"sql\": \"SELECT ...\"}}, got {body.RootElement.ValueKind}.");
                    }

                    if (StringMember(body.RootElement, "sql", out sql) is { } sqlError)
                    {
                        return Error(StatusCodes.Status400BadRequest, sqlError);
                    }

                    if (StringMember(body.RootElement, "format", out var bodyFormat) is { } formatError)
                    {
                        return Error(StatusCodes.Status400BadRequest, formatError);
                    }

                    format = bodyFormat ?? format;
                }
            }
            else
            {
                using var reader = new StreamReader(request.Body);
                sql = await reader.ReadToEndAsync(cancellationToken);
            }

            if (string.IsNullOrWhiteSpace(sql))
            {
                return Results.Json(new { error = "The request has no SQL: send {\"sql\": \"SELECT ...\"} or the SQL as text/plain." }, statusCode: StatusCodes.Status400BadRequest);
            }

            if (format is not ("json" or "csv" or "table"))
            {
                return Results.Json(new { error = $"Unknown format '{format}'; use json, csv or table." }, statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                var result = await (await source.GetAsync()).ExecuteAsync(sql, cancellationToken);
                return format switch
                {
                    "csv" => Results.Text(QueryResultFormatter.Csv(result), "text/csv"),
                    "table" => Results.Text(QueryResultFormatter.Table(result), "text/plain"),
                    _ => Results.Text(QueryResultFormatter.Json(result), "application/json"),
                };
            }
            catch (QueryRefusedException e)
            {
                return Error(StatusCodes.Status400BadRequest, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unexpected (PostgreSQL unreachable, a bug): the caller gets the reason, the log the details.
                logger.LogError(e, "POST /query failed");
                return Error(StatusCodes.Status500InternalServerError, $"The query could not be run: {e.Message}");
            }
        });
        return endpoints;
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    /// <summary>Reads an optional string member; returns the error to answer when it is there but not a string.</summary>
    private static string? StringMember(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"\"{name}\" must be a string, got {element.ValueKind}.";
        }

        value = element.GetString();
        return null;
    }
}
