using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Api.Glue;
using Streams.Catalog;
using Streams.Jobs.Store;
using Streams.Pipelines.Specs;

namespace Streams.Api.Console;

/// <summary>
/// The console: its built files at <c>/ui</c> (any other path under it answers <c>index.html</c>, so the browser's
/// routes survive a reload), <c>GET /</c> redirecting there (the API root stays the Glue endpoint for <c>POST</c>), and
/// the endpoints nothing else serves under <c>/api/console</c>: <c>info</c>, <c>pipelines</c>,
/// <c>pipelines/{name}/dead-letters</c> (and <c>POST .../dead-letters/replay</c>) and <c>jobs/{job}/runs/{run}/log</c>.
/// Where the Glue API verifies SigV4, those data endpoints do too.
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
        api.MapGet("/pipelines", (HttpContext context, PipelineDirectory directory) => RunAsync(context, directory.IsConfigured,
            async () => Results.Ok(new { pipelines = await directory.ListAsync(context.RequestAborted) })));
        api.MapGet("/pipelines/{name}/dead-letters", (HttpContext context, PipelineDirectory directory, string name, string? reason, int? limit) =>
            RunAsync(context, directory.IsConfigured, async () =>
            {
                CheckPipelineName(name);
                if (limit is < 1 or > 1000)
                {
                    throw new ConsoleRequestException(StatusCodes.Status400BadRequest, $"limit must be between 1 and 1000, got {limit}.");
                }

                return Results.Ok(await directory.DeadLettersAsync(name, NullIfEmpty(reason), limit ?? 100, context.RequestAborted));
            }));
        // A POST with a JSON body {"reason": ...}: the letters the listing with that reason shows are the ones replayed.
        api.MapPost("/pipelines/{name}/dead-letters/replay", (HttpContext context, PipelineDirectory directory, string name) =>
            RunAsync(context, directory.IsConfigured, async () =>
            {
                CheckPipelineName(name);
                return Results.Ok(await directory.ReplayAsync(name, ReasonOf(context), context.RequestAborted));
            }));
        // The run's log from the jobs store, where streams jobs logs reads it; `after` gives only newer lines.
        api.MapGet("/jobs/{job}/runs/{run}/log", (HttpContext context, string job, string run, long? after) =>
            RunAsync(context, configured: true, async () =>
            {
                var store = context.RequestServices.GetService<JobStore>()
                            ?? throw new ConsoleRequestException(StatusCodes.Status404NotFound, "This host serves no Glue jobs.");
                var state = (await store.GetRunAsync(job, run, context.RequestAborted)).JobRunState;
                return Results.Ok(new RunLog(state, await store.GetLogAsync(run, after ?? 0, context.RequestAborted)));
            }));
        return endpoints;
    }

    private static void CheckPipelineName(string name)
    {
        if (!PipelineName().IsMatch(name))
        {
            throw new ConsoleRequestException(StatusCodes.Status400BadRequest, $"'{name}' is not a pipeline name (letters, digits and '_').");
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string? ReasonOf(HttpContext context)
    {
        var body = (byte[])context.Items[BodyKey]!;
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
                ? throw new ConsoleRequestException(StatusCodes.Status400BadRequest, "The body must be a JSON object such as {\"reason\": \"late\"}.")
                : json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind != System.Text.Json.JsonValueKind.Null
                    ? reason.ValueKind == System.Text.Json.JsonValueKind.String
                        ? NullIfEmpty(reason.GetString())
                        : throw new ConsoleRequestException(StatusCodes.Status400BadRequest, "reason must be a string or null.")
                    : null;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ConsoleRequestException(StatusCodes.Status400BadRequest, $"The body is not JSON: {e.Message}");
        }
    }

    private const string BodyKey = "Streams.Console.Body";

    private static async Task<IResult> RunAsync(HttpContext context, bool configured, Func<Task<IResult>> action)
    {
        // The same check as the Glue endpoint's, over the same bytes: a console endpoint reveals or changes nothing an
        // unsigned caller could not through the Glue API.
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        context.Items[BodyKey] = buffer.ToArray();
        if (context.RequestServices.GetRequiredService<SigV4Verifier>().Verify(context.Request, buffer.ToArray()) is { } failure)
        {
            return Results.Json(new { error = failure.ErrorType, message = failure.Message }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!configured)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "Streams:Postgres:ConnectionString is not configured.");
        }

        try
        {
            return await action();
        }
        catch (ConsoleRequestException e)
        {
            return Error(e.Status, e.Message);
        }
        catch (EntityNotFoundException e)
        {
            return Error(StatusCodes.Status404NotFound, e.Message);
        }
        catch (PipelineSpecException e)
        {
            return Error(StatusCodes.Status422UnprocessableEntity, e.Message);
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
