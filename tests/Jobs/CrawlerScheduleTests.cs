using System.Text.Json;
using Streams.Testing;

namespace Streams.Jobs.Tests;

/// <summary>Crawler schedules fire through the host's scheduler, and the crawler operations Glue adds for them work through boto3.</summary>
public sealed class CrawlerScheduleTests : IAsyncLifetime
{
    private TestLake _lake = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.CreateAsync(200);
        _database = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task A_scheduled_crawler_crawls_at_its_times_until_its_schedule_is_stopped()
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 30, TimeSpan.Zero).AddMinutes(1);
        var clock = new ManualClock(start);
        await using var host = await JobsHost.StartAsync(_database.ConnectionString, _lake.Root, clock: clock);
        var setup = await host.Boto3Async($$"""
            out = {}
            glue.create_database(DatabaseInput={"Name": "lake"})
            target = {"S3Targets": [{"Path": "{{Path.Combine(_lake.Root, TestLake.ParquetTable)}}"}]}
            glue.create_crawler(Name="orders", Role="r", DatabaseName="lake", Targets=target, Schedule="cron(* * * * ? *)")
            glue.create_crawler(Name="manual", Role="r", DatabaseName="lake", Targets=target)
            out["listed"] = glue.list_crawlers(MaxResults=1)["CrawlerNames"]
            got = glue.batch_get_crawlers(CrawlerNames=["orders", "nope"])
            out["batch"] = [[c["Name"] for c in got["Crawlers"]], got["CrawlersNotFound"]]
            out["schedule"] = glue.get_crawler(Name="orders")["Crawler"]["Schedule"]
            errors = {}
            def error(name, call):
                try:
                    call()
                    errors[name] = "no error"
                except glue.exceptions.ClientError as e:
                    errors[name] = e.response["Error"]["Code"]
            error("running", lambda: glue.start_crawler_schedule(CrawlerName="orders"))
            error("no_schedule", lambda: glue.start_crawler_schedule(CrawlerName="manual"))
            error("not_running", lambda: glue.stop_crawler_schedule(CrawlerName="manual"))
            error("bad_cron", lambda: glue.update_crawler_schedule(CrawlerName="orders", Schedule="cron(0 25 * * ? *)"))
            error("missing", lambda: glue.list_crawls(CrawlerName="nope"))
            out["errors"] = errors
            print(json.dumps(out))
            """);
        using (var json = JsonDocument.Parse(setup))
        {
            var root = json.RootElement;
            root.GetProperty("listed").GetRawText().Should().Be("""["manual"]""");
            root.GetProperty("batch").GetRawText().Should().Be("""[["orders"], ["nope"]]""");
            root.GetProperty("schedule").GetRawText().Should().Be("""{"ScheduleExpression": "cron(* * * * ? *)", "State": "SCHEDULED"}""");
            root.GetProperty("errors").GetRawText().Should().Be(
                """{"running": "SchedulerRunningException", "no_schedule": "NoScheduleException", "not_running": "SchedulerNotRunningException", "bad_cron": "InvalidInputException", "missing": "EntityNotFoundException"}""");
        }

        clock.Set(start.AddMinutes(1));
        var crawls = await CrawlsAsync(host, 1);
        crawls.Should().Be("""["COMPLETED"]""");

        var stopped = await host.Boto3Async("""
            glue.stop_crawler_schedule(CrawlerName="orders")
            print(glue.get_crawler(Name="orders")["Crawler"]["Schedule"]["State"])
            glue.update_crawler_schedule(CrawlerName="orders", Schedule="cron(0/5 * * * ? *)")
            print(glue.get_crawler(Name="orders")["Crawler"]["Schedule"]["ScheduleExpression"])
            """);
        stopped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("NOT_SCHEDULED", "cron(0/5 * * * ? *)");
        clock.Set(start.AddMinutes(10));
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await CrawlsAsync(host, 1)).Should().Be("""["COMPLETED"]""", "a stopped schedule does not fire");

        await host.Boto3Async("""glue.start_crawler_schedule(CrawlerName="orders")""");
        clock.Set(start.AddMinutes(15));
        (await CrawlsAsync(host, 2)).Should().Be("""["COMPLETED", "COMPLETED"]""", "restarted, it fires at its next time (minute 15 of 0/5)");
    }

    private static async Task<string> CrawlsAsync(JobsHost host, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var crawls = (await host.Boto3Async("""print(json.dumps([c["State"] for c in glue.list_crawls(CrawlerName="orders")["Crawls"]]))""")).Trim();
            using var json = JsonDocument.Parse(crawls);
            var states = json.RootElement.EnumerateArray().Select(e => e.GetString()).ToList();
            if ((states.Count >= count && states.All(s => s != "RUNNING")) || DateTime.UtcNow > deadline)
            {
                return crawls;
            }

            await Task.Delay(300);
        }
    }
}
