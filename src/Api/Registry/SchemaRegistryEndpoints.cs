using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Registry;
using Streams.Registry.Rest;

namespace Streams.Api.Registry;

/// <summary>
/// The REST API of Confluent Schema Registry (same paths, bodies, status and error codes) over
/// <see cref="SchemaRegistry"/>, so Confluent's clients and serializers work against it unchanged.
/// </summary>
public static class SchemaRegistryEndpoints
{
    /// <summary>The configuration key of the path the API is served under.</summary>
    public const string PathBaseKey = "Streams:Registry:PathBase";

    /// <summary>The default path: <c>/registry</c>.</summary>
    public const string DefaultPathBase = "/registry";

    /// <summary>Request content types the API accepts (Confluent also takes octet-stream from old clients).</summary>
    private static readonly string[] AcceptedRequestTypes =
        [RegistryMediaTypes.V1Json, RegistryMediaTypes.Json, RegistryMediaTypes.ApplicationJson, "application/octet-stream"];

    /// <summary>
    /// Maps the registry API under <paramref name="pathBase"/>; <c>null</c> reads <c>Streams:Registry:PathBase</c>
    /// from configuration (default <c>/registry</c>), and <c>/</c> serves it at the root as a standalone registry.
    /// Requires <see cref="SchemaRegistryServiceCollectionExtensions.AddSchemaRegistry"/>.
    /// </summary>
    public static RouteGroupBuilder MapSchemaRegistry(this IEndpointRouteBuilder endpoints, string? pathBase = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        pathBase ??= endpoints.ServiceProvider.GetService<IConfiguration>()?[PathBaseKey] ?? DefaultPathBase;
        var group = endpoints.MapGroup("/" + pathBase.Trim('/'));
        group.AddEndpointFilter(HandleErrorsAsync);

        group.MapGet("/schemas/types", (SchemaRegistry registry) =>
            RegistryResult.Json(registry.SupportedSchemaTypes.Order(StringComparer.Ordinal).ToList()));

        group.MapGet("/schemas", async (string? subjectPrefix, bool? deleted, bool? latestOnly, SchemaRegistry registry,
            CancellationToken ct) =>
            RegistryResult.Json((await registry.GetSchemasAsync(subjectPrefix, deleted ?? false, latestOnly ?? false, ct))
                .Select(SubjectVersionResponse.From).ToList()));
        group.MapGet("/schemas/ids/{id:int}", async (int id, SchemaRegistry registry, CancellationToken ct) =>
        {
            var schema = await registry.GetSchemaAsync(id, ct);
            return RegistryResult.Json(new SchemaByIdResponse
            {
                Schema = schema.Schema,
                SchemaType = schema.SchemaType == SchemaTypes.Avro ? null : schema.SchemaType,
                References = SchemaReferenceBody.FromList(schema.References),
            });
        });
        group.MapGet("/schemas/ids/{id:int}/schema", async (int id, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Raw((await registry.GetSchemaAsync(id, ct)).Schema));
        group.MapGet("/schemas/ids/{id:int}/subjects", async (int id, bool? deleted, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json((await registry.GetSubjectVersionsOfSchemaAsync(id, deleted ?? false, ct))
                .Select(v => v.Subject).Distinct().ToList()));
        group.MapGet("/schemas/ids/{id:int}/versions", async (int id, bool? deleted, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json((await registry.GetSubjectVersionsOfSchemaAsync(id, deleted ?? false, ct))
                .Select(v => new SubjectVersionBody { Subject = v.Subject, Version = v.Version }).ToList()));

        // Not in Confluent's API: a version by its UUID (Glue's schema version id, which Glue's wire format carries).
        group.MapGet("/schemas/versionids/{versionId:guid}", async (Guid versionId, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(SubjectVersionResponse.From(await registry.GetVersionAsync(versionId, ct))));

        group.MapGet("/subjects", async (bool? deleted, string? subjectPrefix, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(await registry.GetSubjectsAsync(deleted ?? false, subjectPrefix, ct)));
        group.MapPost("/subjects/{subject}", async (string subject, bool? normalize, bool? deleted, HttpContext http,
            SchemaRegistry registry, CancellationToken ct) =>
        {
            var request = await ReadBodyAsync<SchemaRequest>(http);
            var found = await registry.LookUpAsync(Subject(subject), request.ToSubmission(), normalize ?? false, deleted ?? false, ct);
            return RegistryResult.Json(SubjectVersionResponse.From(found));
        });
        group.MapDelete("/subjects/{subject}", async (string subject, bool? permanent, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(await registry.DeleteSubjectAsync(Subject(subject), permanent ?? false, ct)));

        group.MapGet("/subjects/{subject}/versions", async (string subject, bool? deleted, SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(await registry.GetVersionsAsync(Subject(subject), deleted ?? false, ct)));
        group.MapPost("/subjects/{subject}/versions", async (string subject, bool? normalize, HttpContext http,
            SchemaRegistry registry, CancellationToken ct) =>
        {
            var request = await ReadBodyAsync<SchemaRequest>(http);
            var (_, version) = await registry.RegisterAsync(Subject(subject), request.ToSubmission(), normalize ?? false, ct);
            // Current Confluent registries answer with the whole version (Confluent's 2.x clients read subject and
            // version from it); clients that read only "id" find it there too.
            return RegistryResult.Json(SubjectVersionResponse.From(
                await registry.GetVersionAsync(Subject(subject), VersionSpec.Of(version), includeDeleted: false, ct)));
        });
        group.MapGet("/subjects/{subject}/metadata", async (string subject, string[]? key, string[]? value, bool? deleted,
            SchemaRegistry registry, CancellationToken ct) =>
        {
            // Schema metadata (Confluent's data contracts) is not kept here: without filters the latest version
            // answers, as in Confluent's registry; a filter matches no version.
            if (key is { Length: > 0 })
            {
                return RegistryResult.Error(StatusCodes.Status404NotFound, RegistryErrorCodes.VersionNotFound,
                    $"No version of subject '{subject}' has metadata {string.Join(", ", key.Zip(value ?? []).Select(p => p.First + "=" + p.Second))}: this registry keeps no schema metadata.");
            }

            return RegistryResult.Json(SubjectVersionResponse.From(
                await registry.GetVersionAsync(Subject(subject), VersionSpec.Latest, deleted ?? false, ct)));
        });
        group.MapGet("/subjects/{subject}/versions/{version}", async (string subject, string version, bool? deleted,
            SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(SubjectVersionResponse.From(
                await registry.GetVersionAsync(Subject(subject), VersionSpec.Parse(version), deleted ?? false, ct))));
        // Not in Confluent's API: the version with its UUID, for producers writing Glue's wire format.
        group.MapGet("/subjects/{subject}/versions/{version}/versionid", async (string subject, string version,
            SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(SubjectVersionResponse.From(
                await registry.GetVersionWithIdAsync(Subject(subject), VersionSpec.Parse(version), ct))));
        group.MapGet("/subjects/{subject}/versions/{version}/schema", async (string subject, string version, bool? deleted,
            SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Raw((await registry.GetVersionAsync(Subject(subject), VersionSpec.Parse(version), deleted ?? false, ct)).Schema));
        group.MapGet("/subjects/{subject}/versions/{version}/referencedby", async (string subject, string version,
            SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(await registry.GetReferencedByAsync(Subject(subject), VersionSpec.Parse(version), ct)));
        group.MapDelete("/subjects/{subject}/versions/{version}", async (string subject, string version, bool? permanent,
            SchemaRegistry registry, CancellationToken ct) =>
            RegistryResult.Json(await registry.DeleteVersionAsync(Subject(subject), VersionSpec.Parse(version), permanent ?? false, ct)));

        group.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, bool? verbose,
            HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await TestCompatibilityAsync(subject, VersionSpec.Parse(version), verbose, http, registry, ct));
        group.MapPost("/compatibility/subjects/{subject}/versions", async (string subject, bool? verbose,
            HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await TestCompatibilityAsync(subject, null, verbose, http, registry, ct));

        group.MapGet("/config", async (SchemaRegistry registry, CancellationToken ct) =>
            ConfigAnswer(await registry.GetCompatibilityAsync(null, true, ct)));
        group.MapPut("/config", async (HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await SetConfigAsync(null, http, registry, ct));
        group.MapDelete("/config", async (SchemaRegistry registry, CancellationToken ct) =>
            ConfigAnswer(await registry.DeleteCompatibilityAsync(null, ct)));
        group.MapGet("/config/{subject}", async (string subject, bool? defaultToGlobal, SchemaRegistry registry, CancellationToken ct) =>
            ConfigAnswer(await registry.GetCompatibilityAsync(Subject(subject), defaultToGlobal ?? false, ct)));
        group.MapPut("/config/{subject}", async (string subject, HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await SetConfigAsync(Subject(subject), http, registry, ct));
        group.MapDelete("/config/{subject}", async (string subject, SchemaRegistry registry, CancellationToken ct) =>
            ConfigAnswer(await registry.DeleteCompatibilityAsync(Subject(subject), ct)));

        group.MapGet("/mode", async (SchemaRegistry registry, CancellationToken ct) =>
            ModeAnswer(await registry.GetModeAsync(null, true, ct)));
        group.MapPut("/mode", async (bool? force, HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await SetModeAsync(null, force, http, registry, ct));
        group.MapDelete("/mode", async (SchemaRegistry registry, CancellationToken ct) =>
            ModeAnswer(await registry.DeleteModeAsync(null, ct)));
        group.MapGet("/mode/{subject}", async (string subject, bool? defaultToGlobal, SchemaRegistry registry, CancellationToken ct) =>
            ModeAnswer(await registry.GetModeAsync(Subject(subject), defaultToGlobal ?? false, ct)));
        group.MapPut("/mode/{subject}", async (string subject, bool? force, HttpContext http, SchemaRegistry registry, CancellationToken ct) =>
            await SetModeAsync(Subject(subject), force, http, registry, ct));
        group.MapDelete("/mode/{subject}", async (string subject, SchemaRegistry registry, CancellationToken ct) =>
            ModeAnswer(await registry.DeleteModeAsync(Subject(subject), ct)));

        // Confluent answers its root with an empty object; clients use it as a liveness probe.
        group.MapGet("/", () => RegistryResult.Json(new Dictionary<string, string>()));

        // Unknown paths under the registry answer with an error body too, and a known path with another method
        // with 405. Served at the root, the registry leaves unmatched paths to the host, which other areas share.
        if (pathBase.Trim('/').Length > 0)
        {
            var dataSources = endpoints.DataSources;
            group.MapFallback("{**path}", (HttpContext http) => NotFoundOrNotAllowed(http, dataSources));
        }

        return group;
    }

    private static RegistryResult NotFoundOrNotAllowed(HttpContext http, ICollection<EndpointDataSource> dataSources)
    {
        var path = http.Request.Path;
        var allowed = dataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is { HttpMethods.Count: > 0 }
                        && e.RoutePattern.RawText is { } template && !template.Contains("{**", StringComparison.Ordinal)
                        && new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (allowed.Count > 0)
        {
            http.Response.Headers.Allow = string.Join(", ", allowed);
            return RegistryResult.Error(StatusCodes.Status405MethodNotAllowed, StatusCodes.Status405MethodNotAllowed,
                $"HTTP 405 Method Not Allowed: {http.Request.Method} {path}; allowed: {string.Join(", ", allowed)}");
        }

        return RegistryResult.Error(StatusCodes.Status404NotFound, StatusCodes.Status404NotFound,
            $"HTTP 404 Not Found: {http.Request.Method} {path}");
    }

    private static async Task<IResult> TestCompatibilityAsync(string subject, VersionSpec? version, bool? verbose,
        HttpContext http, SchemaRegistry registry, CancellationToken ct)
    {
        var request = await ReadBodyAsync<SchemaRequest>(http);
        var reasons = await registry.TestCompatibilityAsync(Subject(subject), version, request.ToSubmission(), ct);
        return RegistryResult.Json(new CompatibilityResponse
        {
            IsCompatible = reasons.Count == 0,
            Messages = verbose == true ? reasons : null,
        });
    }

    private static async Task<IResult> SetConfigAsync(string? subject, HttpContext http, SchemaRegistry registry, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ConfigBody>(http);
        var level = CompatibilityLevels.Parse(body.Compatibility ?? body.CompatibilityLevel);
        await registry.SetCompatibilityAsync(subject, level, ct);
        return RegistryResult.Json(new ConfigBody { Compatibility = level.ToWireName() });
    }

    private static async Task<IResult> SetModeAsync(string? subject, bool? force, HttpContext http, SchemaRegistry registry,
        CancellationToken ct)
    {
        var body = await ReadBodyAsync<ModeBody>(http);
        var mode = RegistryModes.Parse(body.Mode);
        await registry.SetModeAsync(subject, mode, force ?? false, ct);
        return ModeAnswer(mode);
    }

    private static RegistryResult ConfigAnswer(CompatibilityLevel level) =>
        RegistryResult.Json(new ConfigBody { CompatibilityLevel = level.ToWireName() });

    private static RegistryResult ModeAnswer(RegistryMode mode) => RegistryResult.Json(new ModeBody { Mode = mode.ToWireName() });

    /// <summary>
    /// A subject from the path. Routing decodes every escape but <c>%2F</c> (so that an encoded slash cannot
    /// change which route matches); subjects may contain slashes, so it is decoded here.
    /// </summary>
    private static string Subject(string routeValue) =>
        routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<T> ReadBodyAsync<T>(HttpContext http)
        where T : class
    {
        var contentType = http.Request.ContentType;
        if (!string.IsNullOrEmpty(contentType)
            && !AcceptedRequestTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            throw new SchemaRegistryException(StatusCodes.Status415UnsupportedMediaType, 415,
                $"Unsupported content type '{contentType}'; send {RegistryMediaTypes.V1Json} or {RegistryMediaTypes.ApplicationJson}.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, RegistryMediaTypes.SerializerOptions, http.RequestAborted)
                ?? throw new SchemaRegistryException(400, 400, "The request body is empty.");
        }
        catch (JsonException e)
        {
            throw new SchemaRegistryException(400, 400,
                $"The request body is not valid JSON for this request: {e.Message}", e);
        }
    }

    private static async ValueTask<object?> HandleErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (SchemaRegistryException e)
        {
            return RegistryResult.Error(e.StatusCode, e.ErrorCode, e.Message);
        }
        catch (NpgsqlException e)
        {
            return RegistryResult.Error(StatusCodes.Status500InternalServerError, RegistryErrorCodes.StoreError,
                "Error in the backend data store: " + e.Message);
        }
    }
}
