using System.Net;
using System.Text;
using System.Text.Json;
using Streams.Host.Api;
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
        await using var app = ApiHost.Build(options);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            var huge = new string('x', (int)ApiErrorMiddleware.MaxBodyBytes + 1024);
            var longName = new string('a', ApiErrorMiddleware.MaxUrlLength + 1);
            var glue = new StringContent(huge, Encoding.UTF8, "application/x-amz-json-1.1");
            glue.Headers.Add("X-Amz-Target", "AWSGlue.CreateDatabase");
            (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Because)[] cases =
            [
                (() => http.PostAsync("/", glue), HttpStatusCode.RequestEntityTooLarge, "Glue body over the limit"),
                (() => http.PostAsync("/query", new StringContent(huge)), HttpStatusCode.RequestEntityTooLarge, "query body over the limit"),
                (() => http.PostAsync("/registry/subjects/s/versions",
                    new StringContent(huge, Encoding.UTF8, "application/vnd.schemaregistry.v1+json")), HttpStatusCode.RequestEntityTooLarge, "registry body over the limit"),
                (() => http.GetAsync("/registry/subjects/" + longName + "/versions"), HttpStatusCode.RequestUriTooLong, "registry URL too long"),
                (() => http.PostAsync("/query?format=" + longName, new StringContent("SELECT 1")), HttpStatusCode.RequestUriTooLong, "query URL too long"),
                (() => http.GetAsync("/registry/subjects/a%00b/versions"), HttpStatusCode.BadRequest, "NUL in a registry subject"),
                (() => http.PostAsync("/query?format=js%00on", new StringContent("SELECT 1")), HttpStatusCode.BadRequest, "NUL in a query parameter"),
                (() => http.GetAsync("/no/such/route"), HttpStatusCode.NotFound, "unknown route"),
            ];

            foreach (var (send, status, because) in cases)
            {
                using var response = await send();
                response.StatusCode.Should().Be(status, because);
                var body = await response.Content.ReadAsStringAsync();
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
}
