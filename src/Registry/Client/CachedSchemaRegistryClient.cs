using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Streams.Registry.Rest;

namespace Streams.Registry.Client;

/// <summary>
/// A client of any Confluent-compatible schema registry (this one, Confluent's...) over HTTP, caching what
/// cannot change: schemas by id, ids by subject and schema, and for a while the latest version per subject.
/// Thread-safe; share one per registry.
/// </summary>
public sealed class CachedSchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SchemaRegistryClientOptions _options;
    private readonly ConcurrentDictionary<int, StoredSchema> _schemasById = new();
    private readonly ConcurrentDictionary<(string Subject, SchemaSubmission Schema, bool Normalize), int> _idsBySchema = new(SubmissionKeyComparer.Instance);
    private readonly ConcurrentDictionary<(string Subject, SchemaSubmission Schema, bool Normalize), RegisteredSchema> _lookups = new(SubmissionKeyComparer.Instance);
    private readonly ConcurrentDictionary<(string Subject, int Version), RegisteredSchema> _versions = new();
    private readonly ConcurrentDictionary<string, (RegisteredSchema Schema, long At)> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, RegisteredSchema> _byVersionId = new();
    private readonly ConcurrentDictionary<(string Subject, int Version), Guid> _versionIds = new();

    /// <summary>
    /// Creates a client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the registry's
    /// base URL (e.g. <c>http://127.0.0.1:8080/registry/</c>). The caller keeps owning <paramref name="http"/>.
    /// </summary>
    public CachedSchemaRegistryClient(HttpClient http, SchemaRegistryClientOptions? options = null)
        : this(http, options, ownsHttp: false)
    {
    }

    /// <summary>Creates a client with its own <see cref="HttpClient"/> for the registry at <paramref name="baseUrl"/>.</summary>
    public CachedSchemaRegistryClient(string baseUrl, SchemaRegistryClientOptions? options = null)
        : this(new HttpClient { BaseAddress = BaseUri(baseUrl) }, options, ownsHttp: true)
    {
    }

    private CachedSchemaRegistryClient(HttpClient http, SchemaRegistryClientOptions? options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the registry's base URL.", nameof(http));
        }

        _http = http;
        _ownsHttp = ownsHttp;
        _options = options ?? new SchemaRegistryClientOptions();
    }

    /// <summary>The registry's base URL, ending with a slash.</summary>
    public static Uri BaseUri(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }

    /// <inheritdoc />
    public async Task<int> RegisterSchemaAsync(string subject, SchemaSubmission schema, bool normalize = false,
        CancellationToken cancellationToken = default)
    {
        var key = (subject, schema, normalize);
        if (_idsBySchema.TryGetValue(key, out var id))
        {
            return id;
        }

        var response = await SendAsync<RegisterResponse>(HttpMethod.Post,
            $"subjects/{Escape(subject)}/versions{(normalize ? "?normalize=true" : "")}", SchemaRequest.From(schema), cancellationToken);
        return _idsBySchema.GetOrAdd(key, response.Id);
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> LookUpSchemaAsync(string subject, SchemaSubmission schema, bool normalize = false,
        CancellationToken cancellationToken = default)
    {
        var key = (subject, schema, normalize);
        if (_lookups.TryGetValue(key, out var found))
        {
            return found;
        }

        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Post,
            $"subjects/{Escape(subject)}{(normalize ? "?normalize=true" : "")}", SchemaRequest.From(schema), cancellationToken);
        var registered = response.ToRegistered();
        _idsBySchema.TryAdd(key, registered.Id);
        return _lookups.GetOrAdd(key, registered);
    }

    /// <inheritdoc />
    public async Task<StoredSchema> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_schemasById.TryGetValue(id, out var schema))
        {
            return schema;
        }

        var response = await SendAsync<SchemaByIdResponse>(HttpMethod.Get,
            "schemas/ids/" + id.ToString(CultureInfo.InvariantCulture), null, cancellationToken);
        return _schemasById.GetOrAdd(id, new StoredSchema(id, SchemaTypes.Normalize(response.SchemaType), response.Schema,
            response.References?.Select(r => r.ToReference()).ToList() ?? []));
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default)
    {
        if (_versions.TryGetValue((subject, version), out var schema))
        {
            return schema;
        }

        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Get,
            $"subjects/{Escape(subject)}/versions/{version.ToString(CultureInfo.InvariantCulture)}", null, cancellationToken);
        return _versions.GetOrAdd((subject, version), response.ToRegistered());
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetSchemaByVersionIdAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        // A version id is never reused (a version deleted for good and registered again gets a new one), so it is cached forever.
        if (_byVersionId.TryGetValue(versionId, out var schema))
        {
            return schema;
        }

        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Get, "schemas/versionids/" + versionId.ToString("D"), null,
            cancellationToken);
        return _byVersionId.GetOrAdd(versionId, response.ToRegistered() with { VersionId = versionId });
    }

    /// <inheritdoc />
    public async Task<Guid> GetVersionIdAsync(string subject, int version, CancellationToken cancellationToken = default)
    {
        if (_versionIds.TryGetValue((subject, version), out var id))
        {
            return id;
        }

        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Get,
            $"subjects/{Escape(subject)}/versions/{version.ToString(CultureInfo.InvariantCulture)}/versionid", null, cancellationToken);
        return _versionIds.GetOrAdd((subject, version), response.VersionId
            ?? throw new SchemaRegistryException(500, RegistryErrorCodes.StoreError,
                $"The registry answered no versionId for subject '{subject}' version {version}: it does not serve Glue's schema version ids."));
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default)
    {
        var now = _options.TimeProvider.GetTimestamp();
        if (_latest.TryGetValue(subject, out var entry) && _options.TimeProvider.GetElapsedTime(entry.At, now) < _options.LatestVersionTtl)
        {
            return entry.Schema;
        }

        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Get,
            $"subjects/{Escape(subject)}/versions/latest", null, cancellationToken);
        var latest = response.ToRegistered();
        _latest[subject] = (latest, now);
        _versions.TryAdd((subject, latest.Version), latest);
        return latest;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(bool includeDeleted = false, CancellationToken cancellationToken = default) =>
        await SendAsync<List<string>>(HttpMethod.Get, includeDeleted ? "subjects?deleted=true" : "subjects", null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) =>
        await SendAsync<List<int>>(HttpMethod.Get, $"subjects/{Escape(subject)}/versions", null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> TestCompatibilityAsync(string subject, SchemaSubmission schema, int? version = null,
        CancellationToken cancellationToken = default)
    {
        var path = $"compatibility/subjects/{Escape(subject)}/versions" +
                   (version is { } v ? "/" + v.ToString(CultureInfo.InvariantCulture) : "") + "?verbose=true";
        var response = await SendAsync<CompatibilityResponse>(HttpMethod.Post, path, SchemaRequest.From(schema), cancellationToken);
        return response.IsCompatible ? [] : response.Messages is { Count: > 0 } messages ? messages : ["incompatible"];
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "config" : $"config/{Escape(subject)}?defaultToGlobal=true";
        var response = await SendAsync<ConfigBody>(HttpMethod.Get, path, null, cancellationToken);
        return CompatibilityLevels.Parse(response.CompatibilityLevel ?? response.Compatibility);
    }

    /// <inheritdoc />
    public async Task SetCompatibilityAsync(string? subject, CompatibilityLevel level, CancellationToken cancellationToken = default) =>
        await SendAsync<ConfigBody>(HttpMethod.Put, subject is null ? "config" : $"config/{Escape(subject)}",
            new ConfigBody { Compatibility = level.ToWireName() }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false,
        CancellationToken cancellationToken = default)
    {
        var deleted = await SendAsync<List<int>>(HttpMethod.Delete,
            $"subjects/{Escape(subject)}{(permanent ? "?permanent=true" : "")}", null, cancellationToken);
        _latest.TryRemove(subject, out _);
        return deleted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string Escape(string subject) => Uri.EscapeDataString(subject);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(RegistryMediaTypes.V1Json));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(RegistryMediaTypes.ApplicationJson, 0.9));
        if (body is not null)
        {
            request.Content = new StringContent(
                JsonSerializer.Serialize(body, body.GetType(), RegistryMediaTypes.SerializerOptions), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(RegistryMediaTypes.V1Json);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ErrorFrom(method, path, (int)response.StatusCode, text);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, RegistryMediaTypes.SerializerOptions)
                   ?? throw new JsonException("The answer is JSON null.");
        }
        catch (JsonException e)
        {
            throw new SchemaRegistryException((int)response.StatusCode, -1,
                $"{method} {path}: the registry answered with a body that is not the expected JSON: {e.Message}", e);
        }
    }

    private static SchemaRegistryException ErrorFrom(HttpMethod method, string path, int status, string text)
    {
        try
        {
            if (JsonSerializer.Deserialize<ErrorBody>(text, RegistryMediaTypes.SerializerOptions) is { ErrorCode: not 0 } error)
            {
                return new SchemaRegistryException(status, error.ErrorCode, error.Message ?? $"{method} {path} failed with {status}.");
            }
        }
        catch (JsonException)
        {
            // Not a registry error body (a proxy's HTML page...): reported below with the raw text.
        }

        return new SchemaRegistryException(status, status, $"{method} {path} failed with HTTP {status}: {text}");
    }

    /// <summary>Compares cache keys by value, references included (records compare lists by reference).</summary>
    private sealed class SubmissionKeyComparer : IEqualityComparer<(string Subject, SchemaSubmission Schema, bool Normalize)>
    {
        public static readonly SubmissionKeyComparer Instance = new();

        public bool Equals((string Subject, SchemaSubmission Schema, bool Normalize) x, (string Subject, SchemaSubmission Schema, bool Normalize) y) =>
            x.Subject == y.Subject && x.Normalize == y.Normalize && x.Schema.Schema == y.Schema.Schema
            && SchemaTypes.Normalize(x.Schema.SchemaType) == SchemaTypes.Normalize(y.Schema.SchemaType)
            && (x.Schema.References ?? []).SequenceEqual(y.Schema.References ?? []);

        public int GetHashCode((string Subject, SchemaSubmission Schema, bool Normalize) key) =>
            HashCode.Combine(key.Subject, key.Schema.Schema, key.Normalize);
    }
}
