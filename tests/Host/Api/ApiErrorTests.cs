using System.Net;
using System.Text;
using System.Text.Json;
using Streams.Host.Configuration;
using Streams.Testing;

namespace Streams.Host.Tests.Api;

/// <summary>
/// Requests refused before any endpoint runs (Kestrel's limits, NUL bytes, unknown routes) get JSON errors from the
/// whole host, for every area: the Glue endpoint, the registry and /query; the host keeps serving afterwards.
/// </summary>
public sealed class ApiErrorTests
{
    [Fact]
    public async Task Oversized_bodies_long_urls_and_nul_bytes_get_json_errors_on_every_area()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var lake = Directory.CreateTempSubdirectory("streams-api-errors-");
        var options = new StreamsOptions
        {
            Postgres = { ConnectionString = database.ConnectionString },
            Lake = { Root = lake.FullName },
            Api = { Url = "http://127.0.0.1:0" },
        };
        await using var app = global::Streams.Host.Api.ApiHost.Build(options);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            var huge = (16 * 1024 * 1024) + 1024;
            var longName = new string('a', (8 * 1024) + 1);
            (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Because)[] cases =
            [
                (() => OversizedAsync(http.BaseAddress, "/", "application/x-amz-json-1.1\r\nX-Amz-Target: AWSGlue.CreateDatabase", huge), HttpStatusCode.RequestEntityTooLarge, "Glue body over the limit"),
                (() => OversizedAsync(http.BaseAddress, "/query", "text/plain", huge), HttpStatusCode.RequestEntityTooLarge, "query body over the limit"),
                (() => OversizedAsync(http.BaseAddress, "/registry/subjects/s/versions", "application/vnd.schemaregistry.v1+json", huge),
                    HttpStatusCode.RequestEntityTooLarge, "registry body over the limit"),
                (() => http.GetAsync("/registry/subjects/" + longName + "/versions"), HttpStatusCode.RequestUriTooLong, "registry URL too long"),
                (() => http.PostAsync("/query?format=" + longName, new StringContent("SELECT 1")), HttpStatusCode.RequestUriTooLong, "query URL too long"),
                (() => http.PostAsync("/query?format=js%00on", new StringContent("SELECT 1")), HttpStatusCode.BadRequest, "NUL in a query parameter"),
                (() => http.GetAsync("/no/such/route"), HttpStatusCode.NotFound, "unknown route"),
            ];

            foreach (var (send, status, because) in cases)
            {
                using var response = await send();
                response.StatusCode.Should().Be(status, because);
                var body = await response.Content.ReadAsStringAsync();
                body.Should().NotBeEmpty(because);
                var error = JsonDocument.Parse(body).RootElement;
                error.GetProperty("__type").GetString().Should().NotBeNullOrEmpty(because);
                error.GetProperty("Message").GetString().Should().NotBeNullOrEmpty(because);
                error.GetProperty("error_code").GetInt32().Should().Be((int)status, because);
            }

            // The host still serves: a well-formed Glue call succeeds.
            var ok = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1");
            ok.Headers.Add("X-Amz-Target", "AWSGlue.GetDatabases");
            (await http.PostAsync("/", ok)).StatusCode.Should().Be(HttpStatusCode.OK, "the host is still up");
        }
        finally
        {
            await app.StopAsync();
            lake.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Announces a body of <paramref name="length"/> bytes and sends its first kilobyte over a raw HTTP/1.0 socket: the
    /// server answers before the rest, and an HttpClient would fail writing the rest to the closed connection.
    /// </summary>
    private static async Task<HttpResponseMessage> OversizedAsync(Uri baseAddress, string path, string contentType, int length)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.0\r\nHost: {baseAddress.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + new string('x', 1024)));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]) };
    }
}
