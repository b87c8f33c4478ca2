using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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
                using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                sql = body.RootElement.TryGetProperty("sql", out var s) ? s.GetString() : null;
                format = body.RootElement.TryGetProperty("format", out var f) ? f.GetString() ?? format : format;
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
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        return endpoints;
    }
}
