using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Streams.Testing;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// Two real <c>streams serve</c> processes over one database, eight threads each, registering overlapping
/// schemas under overlapping subjects over HTTP: every schema gets one id whichever host answers, distinct
/// schemas get distinct ids, versions per subject are gapless, and every answer matches the final state.
/// </summary>
public sealed class TwoHostRegistryConcurrencyTests
{
    private const int ThreadsPerHost = 8;
    private const int RegistrationsPerThread = 12;
    private const int Schemas = 10;
    private const int Subjects = 3;
    private const string MediaType = "application/vnd.schemaregistry.v1+json";

    [Fact]
    public async Task Two_hosts_registering_concurrently_agree_on_ids_and_gapless_versions()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        // Both hosts start (and migrate the registry tables) at the same time.
        var starting = new[] { ServeProcess.StartAsync(database.ConnectionString), ServeProcess.StartAsync(database.ConnectionString) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var s in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await (await s).DisposeAsync();
            }

            throw;
        }

        await using var first = await starting[0];
        await using var second = await starting[1];
        using var http = new HttpClient();
        // The host serves the registry under its default path base.
        var hosts = new[] { first.Url + "/registry", second.Url + "/registry" };
        (await http.PutAsync(hosts[0] + "/config", Json(new JsonObject { ["compatibility"] = "NONE" }))).EnsureSuccessStatusCode();
        var answers = await Task.WhenAll(
            from host in Enumerable.Range(0, hosts.Length)
            from thread in Enumerable.Range(0, ThreadsPerHost)
            select Task.Run(async () =>
            {
                var mine = new List<(string Subject, int Schema, int Id)>();
                for (var i = 0; i < RegistrationsPerThread; i++)
                {
                    // Threads on both hosts walk the same (subject, schema) pairs from different starting points.
                    var schema = (thread + i) % Schemas;
                    var subject = $"subject-{(thread + 2 * i) % Subjects}";
                    using var response = await http.PostAsync($"{hosts[host]}/subjects/{subject}/versions",
                        Json(new JsonObject { ["schema"] = Schema(schema) }));
                    var body = await response.Content.ReadAsStringAsync();
                    response.IsSuccessStatusCode.Should().BeTrue(body);
                    mine.Add((subject, schema, JsonNode.Parse(body)!["id"]!.GetValue<int>()));
                }

                return mine;
            }));

        var all = answers.SelectMany(a => a).ToList();
        var idBySchema = all.GroupBy(a => a.Schema).ToDictionary(g => g.Key, g => g.Select(a => a.Id).Distinct().ToList());
        idBySchema.Values.Should().OnlyContain(ids => ids.Count == 1, "each schema gets one id on both hosts");
        idBySchema.Values.Select(ids => ids[0]).Should().OnlyHaveUniqueItems("distinct schemas get distinct ids");

        foreach (var subject in all.Select(a => a.Subject).Distinct())
        {
            var registered = all.Where(a => a.Subject == subject).Select(a => a.Schema).Distinct().ToList();
            foreach (var host in hosts)
            {
                var versions = await http.GetFromJsonAsync<int[]>($"{host}/subjects/{subject}/versions");
                versions.Should().Equal(Enumerable.Range(1, registered.Count), "versions of {0} are gapless", subject);
            }

            // Each version holds one of the registered schemas, each schema exactly once, under the id it was answered with.
            var stored = new List<int>();
            for (var version = 1; version <= registered.Count; version++)
            {
                var entry = JsonNode.Parse(await http.GetStringAsync($"{hosts[1]}/subjects/{subject}/versions/{version}"))!;
                var id = entry["id"]!.GetValue<int>();
                var schema = idBySchema.Single(p => p.Value[0] == id).Key;
                JsonNode.DeepEquals(JsonNode.Parse(entry["schema"]!.GetValue<string>()), JsonNode.Parse(Schema(schema))).Should().BeTrue();
                stored.Add(schema);
            }

            stored.Should().BeEquivalentTo(registered);
        }

        // Every id resolves to its schema on either host.
        foreach (var (schema, ids) in idBySchema)
        {
            foreach (var host in hosts)
            {
                var byId = JsonNode.Parse(await http.GetStringAsync($"{host}/schemas/ids/{ids[0]}"))!;
                JsonNode.DeepEquals(JsonNode.Parse(byId["schema"]!.GetValue<string>()), JsonNode.Parse(Schema(schema))).Should().BeTrue();
            }
        }
    }

    private static string Schema(int n) =>
        $$"""{"type":"record","name":"S{{n}}","fields":[{"name":"f{{n}}","type":"long"}]}""";

    private static StringContent Json(JsonNode body) =>
        new(body.ToJsonString(), System.Text.Encoding.UTF8, MediaType);
}
