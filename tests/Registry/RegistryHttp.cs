using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Streams.Registry.Tests;

/// <summary>Raw HTTP calls to the registry API for tests that assert status codes, bodies and content types.</summary>
internal static class RegistryHttp
{
    public static async Task<(int Status, JsonNode? Body, string? ContentType)> SendAsync(this HttpClient http, HttpMethod method,
        string path, object? body = null, string contentType = "application/vnd.schemaregistry.v1+json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    public static Task<(int Status, JsonNode? Body, string? ContentType)> GetJsonAsync(this HttpClient http, string path) =>
        http.SendAsync(HttpMethod.Get, path);

    public static Task<(int Status, JsonNode? Body, string? ContentType)> PostJsonAsync(this HttpClient http, string path, object body) =>
        http.SendAsync(HttpMethod.Post, path, body);

    public static Task<(int Status, JsonNode? Body, string? ContentType)> PutJsonAsync(this HttpClient http, string path, object body) =>
        http.SendAsync(HttpMethod.Put, path, body);

    public static Task<(int Status, JsonNode? Body, string? ContentType)> DeleteJsonAsync(this HttpClient http, string path) =>
        http.SendAsync(HttpMethod.Delete, path);

    /// <summary>Registers an Avro schema and returns its id, failing on anything but 200.</summary>
    public static async Task<int> RegisterAsync(this HttpClient http, string subject, string schema, object? references = null)
    {
        var (status, body, _) = await http.PostJsonAsync($"subjects/{Uri.EscapeDataString(subject)}/versions",
            references is null ? new { schema } : new { schema, references });
        status.Should().Be(200, body?.ToJsonString());
        return body!["id"]!.GetValue<int>();
    }

    /// <summary>Asserts an error answer: status and Confluent error code.</summary>
    public static void ShouldBeError(this (int Status, JsonNode? Body, string? ContentType) answer, int status, int errorCode)
    {
        answer.Status.Should().Be(status, answer.Body?.ToJsonString());
        answer.Body!["error_code"]!.GetValue<int>().Should().Be(errorCode);
        answer.Body!["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
    }
}
