using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Streams.Api.Console;
using Streams.Api.Glue;
using Streams.Catalog.Storage;
using Streams.Jobs.Model;
using Streams.Jobs.Store;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Monitoring;
using Streams.Testing;

namespace Streams.Console.Tests;

/// <summary>The console's HTTP side: its files at /ui with the SPA fallback, and its read endpoints over the serving layer.</summary>
public sealed partial class ConsoleEndpointTests
{
    [Fact]
    public async Task Ui_serves_index_for_routes_hashed_assets_for_good_and_404_for_unknown_files()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.Url) };

        using (var root = await http.GetAsync("/"))
        {
            root.StatusCode.Should().Be(HttpStatusCode.Redirect, "GET / leads to the console; POST / stays the Glue API");
            root.Headers.Location!.ToString().Should().Be("/ui/");
        }

        foreach (var route in new[] { "/ui", "/ui/", "/ui/catalog/lake/orders", "/ui/registry/orders-value" })
        {
            using var page = await http.GetAsync(route);
            page.StatusCode.Should().Be(HttpStatusCode.OK, route);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            page.Headers.CacheControl!.NoCache.Should().BeTrue("index.html names the current assets");
            (await page.Content.ReadAsStringAsync()).Should().Contain("<div id=\"app\">", route);
        }

        var index = await http.GetStringAsync("/ui/");
        var script = ScriptPath().Match(index);
        script.Success.Should().BeTrue("index.html loads the built script from /ui/assets: " + index);
        using (var asset = await http.GetAsync(script.Value))
        {
            asset.StatusCode.Should().Be(HttpStatusCode.OK);
            asset.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
            asset.Headers.CacheControl!.ToString().Should().Contain("immutable");
        }

        // Every asset is local: index.html names nothing but /ui/ paths (and an inline icon).
        Regex.Matches(index, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value)
            .Should().OnlyContain(url => url.StartsWith("/ui/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal));

        (await http.GetAsync("/ui/assets/missing-1234.js")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var info = JsonNode.Parse(await http.GetStringAsync("/api/console/info"))!;
        ((bool)info["authRequired"]!).Should().BeFalse();
        ((string)info["registryPath"]!).Should().Be("/registry");
    }

    [Fact]
    public async Task Ui_without_a_build_answers_503_naming_scripts_setup()
    {
        var empty = Directory.CreateTempSubdirectory("streams-console-empty-");
        await using var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var server = await TestWebServer.StartAsync(builder =>
            {
                builder.Services.AddGlueCatalog(database.ConnectionString, new LakeOptions { Root = empty.FullName }, new Streams.Catalog.CatalogOptions());
                builder.Services.AddConsole("", new ConsoleOptions { StaticRoot = empty.FullName });
            }, app => app.MapConsole());
            using var http = new HttpClient();
            using var response = await http.GetAsync(server.Url + "/ui/");
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await response.Content.ReadAsStringAsync()).Should().Contain("scripts/setup");
            using var pipelines = await http.GetAsync(server.Url + "/api/console/pipelines");
            pipelines.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await pipelines.Content.ReadAsStringAsync()).Should().Contain("Streams:Postgres:ConnectionString");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dead_letters_of_both_layers_are_listed_by_reason_with_their_positions()
    {
        await using var host = await ConsoleHost.StartAsync();
        await using (var dataSource = NpgsqlDataSource.Create(host.Database.ConnectionString))
        {
            await ServingMigrations.ApplyAsync(dataSource);
            // The speed layer's table, made by its own code, and the batch layer's shared one.
            await new KafkaDeadLetterTable("clicks").EnsureAsync(dataSource);
            // As the speed layer records a pipeline when it starts: here with no spec (a host before specs were recorded).
            await SpeedStatusStore.RecordAsync(dataSource, "clicks", "clicks", "clicks");
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO serving.clicks_dead_letters (topic, partition, "offset", "timestamp", stage, reason, value)
                VALUES ('clicks', 2, 41, now(), 'decode', 'wrong magic byte 7', '\x07'::bytea),
                       ('clicks', 0, 9, now(), 'window', 'late', NULL);
                INSERT INTO serving.dead_letters (pipeline, transform, reason, source, partition, "offset", record)
                VALUES ('clicks', 'window', 'late', 'lake/clicks/dt=2026-01-01/part-0.parquet', NULL, 17, '{"id": 1}'),
                       ('other', 'filter', 'bad', 'x', NULL, 1, '{}');
                """);
            await insert.ExecuteNonQueryAsync();
        }

        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        var list = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines"))!["pipelines"]!.AsArray();
        list.Select(p => ((string)p!["name"]!, (long)p["deadLetters"]!)).Should().BeEquivalentTo([("clicks", 3L), ("other", 1L)]);

        var all = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines/clicks/dead-letters"))!;
        ((long)all["total"]!).Should().Be(3);
        all["reasons"]!.AsArray().Select(r => ((string)r!["reason"]!, (long)r["count"]!))
            .Should().Equal(("late", 2L), ("wrong magic byte 7", 1L));
        all["letters"]!.AsArray().Should().HaveCount(3);

        var late = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines/clicks/dead-letters?reason=late"))!["letters"]!.AsArray();
        late.Select(l => ((string?)l!["source"], (long?)l["offset"], (string)l["stage"]!)).Should().BeEquivalentTo(
            [("clicks", (long?)9L, "window"), ("lake/clicks/dt=2026-01-01/part-0.parquet", (long?)17L, "window")]);
        var magic = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines/clicks/dead-letters?reason=wrong%20magic%20byte%207"))!["letters"]!.AsArray();
        magic.Should().ContainSingle();
        ((string)magic[0]!["id"]!).Should().Be("clicks/2/41");
        ((string)magic[0]!["record"]!).Should().Be("value (hex): 07", "a record that did not decode shows its raw bytes");

        (await http.GetAsync("/api/console/pipelines/no%20such!/dead-letters")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await http.GetAsync("/api/console/pipelines/clicks/dead-letters?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var none = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines/nothing_here/dead-letters"))!;
        ((long)none["total"]!).Should().Be(0);

        // Replay needs the pipeline's spec: none is known for clicks, and the answer says how to replay instead.
        using (var replay = await http.PostAsync("/api/console/pipelines/clicks/dead-letters/replay", Json("""{"reason": "late"}""")))
        {
            replay.StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await replay.Content.ReadAsStringAsync()).Should().Contain("streams dead-letters <spec file> --replay");
        }

        (await http.PostAsync("/api/console/pipelines/clicks/dead-letters/replay", Json("""{"reason": 7}"""))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await http.PostAsync("/api/console/pipelines/clicks/dead-letters/replay", Json("[1"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await http.PostAsync("/api/console/pipelines/no%20such!/dead-letters/replay", Json("{}"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await using (var dataSource = NpgsqlDataSource.Create(host.Database.ConnectionString))
        {
            (await new KafkaDeadLetterTable("clicks").ListAsync(dataSource, new DeadLetterQuery())).Should().HaveCount(2, "a refused replay changes nothing");
        }
    }

    [Fact]
    public async Task A_pipeline_the_speed_layer_recorded_with_its_spec_has_its_flow_without_a_job()
    {
        await using var host = await ConsoleHost.StartAsync();
        var spec = PipelineSpecLoader.Parse(await File.ReadAllTextAsync(Path.Combine(ExternalTool.RepositoryRoot, "examples", "demo", "revenue_per_hour.yaml")));
        await using (var dataSource = NpgsqlDataSource.Create(host.Database.ConnectionString))
        {
            await SpeedStatusStore.RecordAsync(dataSource, spec.Name, "orders", "revenue_per_hour", spec.Text, "/somewhere/order.avsc");
        }

        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        var pipeline = JsonNode.Parse(await http.GetStringAsync("/api/console/pipelines"))!["pipelines"]!.AsArray().Single()!;
        ((string)pipeline["name"]!).Should().Be("revenue_per_hour");
        ((string)pipeline["specFrom"]!).Should().Be("speed layer");
        ((string)pipeline["spec"]!).Should().Be(spec.Text);
        pipeline["job"].Should().BeNull();
        pipeline["flow"]!.AsArray().Select(n => (string)n!["kind"]!).Should().Equal("source", "source", "transform", "transform", "window", "aggregate", "sink");
        ((string)pipeline["flow"]![0]!["label"]!).Should().Be("kafka orders");
    }

    [Fact]
    public async Task A_run_log_is_served_from_the_jobs_store_after_a_sequence_and_unknown_runs_are_404()
    {
        // No runner in this host: the run stays queued, so its log holds only what this test writes.
        await using var host = await ConsoleHost.StartAsync("--Streams:Jobs:Enabled=false");
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        var store = new JobStore(NpgsqlDataSource.Create(host.Database.ConnectionString));
        await store.MigrateAsync();
        await store.CreateJobAsync(new Job { Name = "nightly", Role = "r", Command = new JobCommand(JobCommands.Etl, "/nowhere.yaml") });
        var run = await store.StartRunAsync("nightly", null);
        await store.AppendLogAsync(run, "read 3 files");

        var log = JsonNode.Parse(await http.GetStringAsync($"/api/console/jobs/nightly/runs/{run}/log"))!;
        var lines = log["lines"]!.AsArray();
        lines.Select(l => (string)l!["message"]!).Should().Equal((await store.GetLogAsync(run)).Select(l => l.Message), "the lines streams jobs logs prints");
        lines.Select(l => (string)l!["message"]!).Should().Contain("read 3 files");
        ((string)log["state"]!).Should().Be((await store.GetRunAsync("nightly", run)).JobRunState);

        var last = (long)lines[^1]!["sequence"]!;
        await store.AppendLogAsync(run, "wrote 2 rows");
        var newer = JsonNode.Parse(await http.GetStringAsync($"/api/console/jobs/nightly/runs/{run}/log?after={last}"))!["lines"]!.AsArray();
        newer.Select(l => (string)l!["message"]!).Should().Equal("wrote 2 rows");

        using var missing = await http.GetAsync("/api/console/jobs/nightly/runs/jr_nope/log");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("jr_nope");
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex("/ui/assets/[^\"]+\\.js")]
    private static partial Regex ScriptPath();
}
