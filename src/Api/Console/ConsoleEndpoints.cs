using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Api.Glue;

namespace Streams.Api.Console;

/// <summary>
/// The console: its built files at <c>/ui</c> (any other path under it answers <c>index.html</c>, so the browser's
/// routes survive a reload), <c>GET /</c> redirecting there (the API root stays the Glue endpoint for <c>POST</c>), and
/// the read endpoints nothing else serves under <c>/api/console</c>: <c>info</c>, <c>pipelines</c> and
/// <c>pipelines/{name}/dead-letters</c>. Where the Glue API verifies SigV4, those data endpoints do too.
/// </summary>
public static partial class ConsoleEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps the console. Needs the services of <see cref="ConsoleServiceCollectionExtensions.AddConsole"/>.</summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<ConsoleOptions>();
        var root = Path.GetFullPath(options.StaticRoot);

        endpoints.MapGet("/", () => Results.Redirect("/ui/"));
        endpoints.MapGet("/ui/{**path}", (string? path) => StaticFile(root, path ?? ""));

        var api = endpoints.MapGroup("/api/console");
        api.MapGet("/info", (IServiceProvider services, EndpointDataSource sources) =>
        {
            var table = services.GetRequiredService<GlueOperationTable>();
            var status = sources.Endpoints.OfType<RouteEndpoint>().Any(e => e.RoutePattern.RawText?.TrimEnd('/') == "/api/status");
            return Results.Ok(new ConsoleInfo(options.Version, options.RegistryPath,
                services.GetRequiredService<SigV4Verifier>().IsEnabled, status, table.TryGet("GetJobs", out _), table.TryGet("GetWorkflow", out _)));
        });
        api.MapGet("/pipelines", (HttpContext context, PipelineDirectory directory) => RunAsync(context, directory,
            async () => Results.Ok(new { pipelines = await directory.ListAsync(context.RequestAborted) })));
        api.MapGet("/pipelines/{name}/dead-letters", (HttpContext context, PipelineDirectory directory, string name, string? reason, int? limit) =>
            RunAsync(context, directory, async () =>
            {
                if (!PipelineName().IsMatch(name))
                {
                    return Error(StatusCodes.Status400BadRequest, $"'{name}' is not a pipeline name (letters, digits and '_').");
                }

                if (limit is < 1 or > 1000)
                {
                    return Error(StatusCodes.Status400BadRequest, $"limit must be between 1 and 1000, got {limit}.");
                }

                return Results.Ok(await directory.DeadLettersAsync(name, reason, limit ?? 100, context.RequestAborted));
            }));
        return endpoints;
    }

    private static async Task<IResult> RunAsync(HttpContext context, PipelineDirectory directory, Func<Task<IResult>> action)
    {
        // The same check as the Glue endpoint's: a console endpoint reveals nothing an unsigned caller could not get there.
        if (context.RequestServices.GetRequiredService<SigV4Verifier>().Verify(context.Request, []) is { } failure)
        {
            return Results.Json(new { error = failure.ErrorType, message = failure.Message }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!directory.IsConfigured)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "Streams:Postgres:ConnectionString is not configured.");
        }

        try
        {
            return await action();
        }
        catch (Npgsql.NpgsqlException e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints))
                .LogError(e, "{Path} failed", context.Request.Path);
            return Error(StatusCodes.Status503ServiceUnavailable, $"PostgreSQL could not be read: {e.Message}");
        }
    }

    private static IResult StaticFile(string root, string path)
    {
        var index = Path.Combine(root, "index.html");
        if (!File.Exists(index))
        {
            return Results.Text(
                $"The console is not built: {index} is missing. Run scripts/setup (it builds console/ with npm), then build the host.",
                "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var full = Path.GetFullPath(Path.Combine(root, path));
        if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full))
        {
            ContentTypes.TryGetContentType(full, out var type);
            // Vite names assets by content hash, so they never change under one name; index.html must be fetched anew.
            var immutable = path.StartsWith("assets/", StringComparison.Ordinal);
            return new CachedFileResult(full, type ?? "application/octet-stream", immutable);
        }

        // An unknown file (a name with an extension) is a 404; anything else is a console route: the SPA's index.html.
        return Path.HasExtension(path)
            ? Results.NotFound()
            : new CachedFileResult(index, "text/html; charset=utf-8", immutable: false);
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex PipelineName();

    private sealed class CachedFileResult(string path, string contentType, bool immutable) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.File(path, contentType).ExecuteAsync(httpContext);
        }
    }
}
