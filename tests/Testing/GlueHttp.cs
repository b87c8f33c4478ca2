using System.Text;
using System.Text.Json;

namespace Streams.Testing;

/// <summary>
/// Calls the Glue JSON API over plain HTTP (POST / with <c>X-Amz-Target</c>, no SigV4: for hosts without access keys), to
/// see what botocore's model would drop, such as a run's <c>Metrics</c>.
/// </summary>
public static class GlueHttp
{
    private static readonly HttpClient Http = new();

    /// <summary>Calls <paramref name="operation"/> with the JSON <paramref name="body"/>; returns the answer.</summary>
    /// <exception cref="InvalidOperationException">The host answered an error (its status and body are in the message).</exception>
    public static async Task<JsonElement> CallAsync(string url, string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AWSGlue." + operation);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{operation} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
