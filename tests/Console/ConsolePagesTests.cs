using System.Globalization;
using Microsoft.Playwright;

namespace Streams.Console.Tests;

/// <summary>
/// Every page of the console in headless Chromium against a running <c>streams dev</c> with a streaming pipeline:
/// each loads with no console error, uncaught exception or failed request, and shows what the host holds, live.
/// Screenshots of each page are kept under <c>screenshots/</c> in the test output.
/// </summary>
public sealed class ConsolePagesTests(ConsoleStack stack) : IClassFixture<ConsoleStack>, IAsyncLifetime
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(30);
    private ConsoleBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await ConsoleBrowser.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task Overview_shows_the_pipelines_live_numbers_moving()
    {
        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/");
        var card = page.GetByTestId("pipeline-revenue_per_hour");
        await Assertions.Expect(card).ToBeVisibleAsync();
        var firstCommit = await card.GetByTestId("last-commit").InnerTextAsync();
        (await card.GetByTestId("dead-letters").InnerTextAsync()).Should().NotBe("0", "the malformed record is a dead letter");

        // The producer sends 40 orders a second: the rate turns positive and the last commit moves, without a reload.
        await Assertions.Expect(card.GetByTestId("rps")).Not.ToHaveTextAsync("0", new() { Timeout = (float)Live.TotalMilliseconds });
        double.Parse((await card.GetByTestId("rps").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            .Should().BePositive();
        await Assertions.Expect(card.GetByTestId("last-commit")).Not.ToHaveTextAsync(firstCommit, new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(card.Locator("svg.spark polyline").First).ToBeVisibleAsync(new() { Timeout = (float)Live.TotalMilliseconds });
        // Consumer lag: the topic's high watermarks less the committed offsets, a number of records.
        await Assertions.Expect(card.GetByTestId("lag")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d[\d,]*$"));
        // Freshness is measured by the `streams stream` process that runs the pipeline, which reports it to PostgreSQL.
        var measured = new System.Text.RegularExpressions.Regex(@"^\d[\d,.]*\s*(ms|s)$");
        await Assertions.Expect(card.GetByTestId("freshness-p50")).ToHaveTextAsync(measured, new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(card.GetByTestId("freshness-p99")).ToHaveTextAsync(measured);
        await console.ScreenshotAsync("overview");

        // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).Should().Be("Skip to content");
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("content");
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Narrow_window_has_no_sideways_scrolling()
    {
        await using var console = await _browser.OpenAsync(stack.Api, width: 390, height: 844);
        foreach (var (path, name) in new[]
                 {
                     ("/ui/", "overview-narrow"), ("/ui/jobs", "jobs-narrow"), ("/ui/pipelines/revenue_per_hour", "pipeline-narrow"),
                     ("/ui/catalog/lake/orders", "catalog-table-narrow"), ("/ui/query", "query-narrow"), ("/ui/registry/orders-value", "registry-narrow"),
                 })
        {
            await console.Page.GotoAsync(path);
            await console.Page.Locator("h1").First.WaitForAsync();
            await console.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // On failure, name the innermost elements that reach past the window's edge.
            var wide = await console.Page.EvaluateAsync<string[]>("""
                () => {
                    const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
                    const scrolled = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
                    return [...document.querySelectorAll('body *')].filter(e => past(e) && !scrolled(e) && ![...e.children].some(past))
                        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} (${Math.round(e.getBoundingClientRect().right)} px)`);
                }
                """);
            (await console.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"))
                .Should().BeTrue($"{path} fits a 390 px window; too wide: {string.Join(", ", wide)}");
            await console.ScreenshotAsync(name);
        }

        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Pipelines_shows_the_serving_view_and_the_dead_letter_with_its_reason_and_position()
    {
        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/pipelines");
        // By keyboard: focus the pipeline's link and follow it.
        await page.GetByRole(AriaRole.Link, new() { Name = "revenue_per_hour", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/ui/pipelines/revenue_per_hour");

        var view = page.GetByTestId("views").Locator("tbody tr").Filter(new() { HasText = "revenue_per_hour" });
        await Assertions.Expect(view).ToHaveCountAsync(1);
        (await view.Locator("td").Nth(1).InnerTextAsync()).Should().Be("none (speed only)", "no backfill has run");
        long.Parse((await view.Locator("td").Nth(4).InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            .Should().BePositive("speed rows are in the view");

        // No job names this pipeline: `streams stream` runs it, and the speed layer recorded its spec when it started, so the
        // flow draws: two sources, two transforms, window, aggregate, sink.
        var flow = page.GetByTestId("flow");
        await Assertions.Expect(flow.Locator("g.node")).ToHaveCountAsync(7);
        (await flow.Locator("g.node title").AllTextContentsAsync()).Should().Equal(
            "kafka orders: subject orders-value", "table archive.orders: bookmarks disable", "filter: status = 'PAID'", "derive: total = amount * quantity",
            "tumbling window: 1h on ts", "by customer: orders, revenue, biggest", "serving revenue_per_hour: main output");
        (await flow.Locator("line.edge").CountAsync()).Should().Be(6);
        await Assertions.Expect(page.GetByTestId("spec-from")).ToContainTextAsync("the speed layer recorded when it started");
        await console.ScreenshotAsync("pipeline-flow-speed-layer");

        // Browse by reason: the malformed record's reason is offered with its count (1); choosing it shows that letter
        // alone, with its position. (The repeated orders are late for their windows by now: dead letters of another reason.)
        var select = page.GetByTestId("dead-letter-reason");
        var magic = select.Locator("option").Filter(new() { HasText = "magic" });
        await Assertions.Expect(magic).ToHaveCountAsync(1);
        (await magic.InnerTextAsync()).Should().EndWith("(1)");
        await select.SelectOptionAsync(new SelectOptionValue { Label = await magic.InnerTextAsync() });
        var rows = page.GetByTestId("dead-letters").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var cells = await rows.Locator("td").AllInnerTextsAsync();
        cells[0].Should().Be("orders");
        int.Parse(cells[1], CultureInfo.InvariantCulture).Should().BeInRange(0, 3);
        long.Parse(cells[2], CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);
        cells[3].Should().NotBeEmpty("the stage that refused it");
        cells[4].Should().Contain("magic", "the record is not in Confluent's wire format");
        await console.ScreenshotAsync("pipeline");

        // Replay that reason, confirmed from the keyboard: the record is still not Avro, so it stays dead, with its reason.
        await page.GetByTestId("replay").ClickAsync();
        var confirmation = page.GetByTestId("replay-confirmation");
        await Assertions.Expect(confirmation).ToContainTextAsync("Replay the speed layer's dead letters of revenue_per_hour whose reason or stage contains");
        (await page.EvaluateAsync<string>("document.activeElement.dataset.testid")).Should().Be("replay-confirm", "the confirmation takes the focus");
        await page.Keyboard.PressAsync("Enter");
        var result = page.GetByTestId("replay-result");
        await Assertions.Expect(result.Locator("p")).ToHaveTextAsync("Tried 1: replayed 0 (0 rows written), still dead 1.", new() { Timeout = 30_000 });
        await Assertions.Expect(result.Locator("li")).ToContainTextAsync("magic");
        await Assertions.Expect(confirmation).ToHaveCountAsync(0);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await console.ScreenshotAsync("pipeline-replay-still-dead");

        // The repeated orders are late for their windows (another reason): a replay joins them to their windows whatever the
        // lateness, so they leave the dead letters for the serving view.
        // Each late record's reason names its event time, so they are found by the text they share (as --reason finds them).
        await Assertions.Expect(select.Locator("option").Filter(new() { HasText = "late record" }).First).ToBeAttachedAsync(new() { Timeout = 60_000 });
        await page.GetByTestId("dead-letter-filter").FillAsync("late record");
        await page.GetByTestId("dead-letter-filter").PressAsync("Enter");
        await Assertions.Expect(rows.First).ToContainTextAsync("late record");
        var before = (await rows.Locator("td:nth-child(5)").AllInnerTextsAsync()).Count;
        before.Should().BePositive();
        (await rows.Locator("td:nth-child(5)").AllInnerTextsAsync()).Should().OnlyContain(r => r.Contains("late record", StringComparison.Ordinal));
        await page.GetByTestId("replay").ClickAsync();
        await Assertions.Expect(page.GetByTestId("replay-confirmation")).ToContainTextAsync("whose reason or stage contains “late record”");
        await page.GetByTestId("replay-confirm").ClickAsync();
        await Assertions.Expect(result.Locator("p")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Tried [\d,]+: replayed [\d,]+ \([\d,]+ rows? written\), still dead [\d,]+\.$"),
            new() { Timeout = 120_000 });
        var numbers = System.Text.RegularExpressions.Regex.Matches(await result.Locator("p").InnerTextAsync(), @"\d[\d,]*")
            .Select(m => long.Parse(m.Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        numbers[0].Should().BeGreaterThanOrEqualTo(before, "every late letter listed (up to 100), and any since");
        numbers[1].Should().BePositive("late records join their windows on replay");
        numbers[2].Should().BePositive("their windows' rows are written");
        (numbers[1] + numbers[3]).Should().Be(numbers[0]);
        await console.ScreenshotAsync("pipeline-replay-late");
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Catalog_shows_tables_partitions_a_version_diff_and_crawlers()
    {
        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/catalog");
        await Assertions.Expect(page.GetByTestId("crawlers").Locator("tbody tr").Filter(new() { HasText = "orders-crawler" })).ToHaveCountAsync(1);
        await console.ScreenshotAsync("catalog");
        await page.GetByTestId("databases").GetByRole(AriaRole.Link, new() { Name = "lake" }).ClickAsync();
        await page.GetByTestId("tables").GetByRole(AriaRole.Link, new() { Name = "orders" }).ClickAsync();
        await page.WaitForURLAsync("**/ui/catalog/lake/orders");

        var columns = page.GetByTestId("columns").Locator("tbody tr");
        await Assertions.Expect(columns).ToHaveCountAsync(5);
        (await columns.Last.Locator("td").AllInnerTextsAsync()).Should().Equal("dt", "string", "yes", "");
        var partitions = page.GetByTestId("partitions").Locator("tbody tr");
        await Assertions.Expect(partitions).ToHaveCountAsync(2);
        (await partitions.Locator("td:first-child").AllInnerTextsAsync()).Should().BeEquivalentTo("2026-11-20", "2026-11-21");

        // A Glue expression narrows the partitions.
        await page.GetByPlaceholder("dt >= '2026-11-19'").FillAsync("dt > '2026-11-20'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(partitions).ToHaveCountAsync(1);

        var diff = page.GetByTestId("version-diff");
        await Assertions.Expect(diff.Locator(".diff-added")).ToHaveTextAsync("+ channel: string");
        await Assertions.Expect(diff.Locator(".diff-removed")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("catalog-table");
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Registry_shows_versions_a_diff_and_checks_compatibility()
    {
        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/registry");
        await page.GetByTestId("subjects").GetByRole(AriaRole.Link, new() { Name = "orders-value" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("versions").Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("compatibility-level")).ToHaveTextAsync("BACKWARD");
        await Assertions.Expect(page.GetByTestId("schema-diff").Locator(".diff-added").Filter(new() { HasText = "\"channel\"" })).ToHaveCountAsync(1);

        // The breaking change is refused with its reasons; the latest version itself is compatible.
        await page.GetByTestId("compat-schema").FillAsync(await File.ReadAllTextAsync(Path.Combine(stack.Directory, "order-v3-broken.avsc")));
        await page.GetByTestId("compat-check").ClickAsync();
        var result = page.GetByTestId("compat-result");
        await Assertions.Expect(result).ToContainTextAsync("Not compatible");
        (await result.Locator("li").CountAsync()).Should().BePositive("the reasons are listed");
        await console.ScreenshotAsync("registry");

        await page.GetByTestId("compat-schema").FillAsync(await File.ReadAllTextAsync(Path.Combine(stack.Directory, "order-v2.avsc")));
        await page.GetByTestId("compat-check").ClickAsync();
        await Assertions.Expect(result).ToHaveTextAsync("Compatible");
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Query_renders_a_table_a_line_or_bar_chart_and_downloads_csv()
    {
        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/query");
        var sql = page.GetByTestId("sql");

        // A time column and a number: a line chart. Run from the keyboard (Ctrl+Enter in the editor).
        await sql.FillAsync("SELECT window_start, sum(revenue) AS revenue FROM revenue_per_hour GROUP BY window_start ORDER BY window_start");
        await sql.PressAsync("Control+Enter");
        await Assertions.Expect(page.GetByTestId("result").Locator("thead th")).ToHaveTextAsync(["window_start", "revenue"]);
        (await page.GetByTestId("result").Locator("tbody tr").CountAsync()).Should().BePositive();
        await Assertions.Expect(page.GetByTestId("chart")).ToHaveAttributeAsync("data-kind", "line");
        await Assertions.Expect(page.GetByTestId("chart").Locator("polyline")).ToHaveCountAsync(1);
        await console.ScreenshotAsync("query-line");

        // A category column and a number: a bar chart, one bar per customer.
        await sql.FillAsync("SELECT customer, sum(orders) AS orders FROM revenue_per_hour GROUP BY customer ORDER BY customer");
        await page.GetByTestId("run-query").ClickAsync();
        await Assertions.Expect(page.GetByTestId("chart")).ToHaveAttributeAsync("data-kind", "bar");
        var customers = await page.GetByTestId("result").Locator("tbody tr").CountAsync();
        customers.Should().BePositive();
        await Assertions.Expect(page.GetByTestId("chart").Locator("rect")).ToHaveCountAsync(customers);
        await console.ScreenshotAsync("query-bar");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-csv").ClickAsync());
        download.SuggestedFilename.Should().Be("query.csv");
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        csv[0].Should().Be("customer,orders");
        csv.Skip(1).Where(l => l.Length > 0).Should().HaveCount(customers);
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_streaming_job_is_started_and_stopped_from_the_console_and_its_spec_is_drawn()
    {
        // Its own pipeline (and so its own consumer group) over the same topic, run by the host's scheduler.
        var spec = Path.Combine(stack.Directory, "paid_orders.yaml");
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(Path.Combine(stack.Directory, "revenue_per_hour.yaml")))
            .Replace("name: revenue_per_hour", "name: paid_orders", StringComparison.Ordinal)
            .Replace("serving: revenue_per_hour", "serving: paid_orders", StringComparison.Ordinal));
        await stack.GlueAsync("CreateJob", new
        {
            Name = "paid-orders-stream",
            Role = "unused",
            Command = new { Name = "gluestreaming", ScriptLocation = spec },
        });

        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/jobs");
        var row = page.GetByTestId("jobs").Locator("tbody tr").Filter(new() { HasText = "paid-orders-stream" });
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("streaming");
        await row.GetByRole(AriaRole.Link, new() { Name = "paid-orders-stream" }).ClickAsync();
        await page.WaitForURLAsync("**/ui/jobs/paid-orders-stream");

        await page.GetByTestId("start-run").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Started run");
        var run = page.GetByTestId("runs").Locator("tbody tr").First;
        // The run's log, opened while it starts: the speed layer's line arrives without a reload.
        await run.GetByTestId("show-log").ClickAsync();
        var log = page.GetByTestId("run-log");
        await Assertions.Expect(log).ToContainTextAsync("queued by StartJobRun");
        await Assertions.Expect(run).ToHaveAttributeAsync("data-state", "RUNNING", new() { Timeout = 60_000 });
        await Assertions.Expect(log).ToContainTextAsync("speed layer of pipeline paid_orders: orders -> serving.paid_orders", new() { Timeout = 30_000 });
        await Assertions.Expect(log).ToHaveAttributeAsync("data-state", "RUNNING");
        await console.ScreenshotAsync("job-running");

        // This host runs the job's pipeline, so the overview shows what its speed layer measures: freshness too.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        var card = page.GetByTestId("pipeline-paid_orders");
        var measured = new System.Text.RegularExpressions.Regex(@"^\d[\d,.]*\s*(ms|s)$");
        await Assertions.Expect(card.GetByTestId("freshness-p50")).ToHaveTextAsync(measured, new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("freshness-p99")).ToHaveTextAsync(measured);
        await Assertions.Expect(card.GetByTestId("rps")).Not.ToHaveTextAsync("0", new() { Timeout = 30_000 });
        await console.ScreenshotAsync("overview-host-pipeline");

        // The job names the spec, so the pipelines page draws its flow: two sources, two transforms, window, aggregate, sink.
        await page.GetByRole(AriaRole.Link, new() { Name = "Pipelines", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "paid_orders", Exact = true }).ClickAsync();
        var flow = page.GetByTestId("flow");
        await Assertions.Expect(flow.Locator("g.node")).ToHaveCountAsync(7);
        (await flow.Locator("g.node title").AllTextContentsAsync()).Should().StartWith("kafka orders: subject orders-value")
            .And.EndWith("serving paid_orders: main output");
        (await flow.Locator("line.edge").CountAsync()).Should().Be(6, "each source into the first transform, then one edge per step");
        await console.ScreenshotAsync("pipeline-flow");

        await page.GotoAsync("/ui/jobs/paid-orders-stream");
        await run.GetByTestId("show-log").ClickAsync();
        await Assertions.Expect(log).ToContainTextAsync("speed layer of pipeline paid_orders");
        await page.GetByTestId("stop-run").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Stopping");
        await Assertions.Expect(run).ToHaveAttributeAsync("data-state", "STOPPED", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("stop-run")).ToBeDisabledAsync();
        // The open log followed the run to its end: the stop and the final state, with no click.
        await Assertions.Expect(log).ToHaveAttributeAsync("data-state", "STOPPED", new() { Timeout = 30_000 });
        await Assertions.Expect(log).ToContainTextAsync("speed layer stopped: ");
        await Assertions.Expect(log).ToContainTextAsync("ended STOPPED");
        await console.ScreenshotAsync("job-stopped");
        console.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_workflow_made_through_the_glue_api_is_drawn_with_the_run_state_of_each_node()
    {
        // Two jobs in a workflow: an ON_DEMAND trigger starts a backfill (its own view), a CONDITIONAL trigger starts a report
        // once it succeeded. The report's spec does not exist, so that run fails: both final states show.
        var spec = Path.Combine(stack.Directory, "nightly_revenue.yaml");
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(Path.Combine(stack.Directory, "revenue_per_hour.yaml")))
            .Replace("name: revenue_per_hour", "name: nightly_revenue", StringComparison.Ordinal)
            .Replace("serving: revenue_per_hour", "serving: nightly_revenue", StringComparison.Ordinal));
        await stack.GlueAsync("CreateJob", new { Name = "nightly-revenue", Role = "unused", Command = new { Name = "glueetl", ScriptLocation = spec } });
        await stack.GlueAsync("CreateJob", new
        {
            Name = "nightly-report",
            Role = "unused",
            Command = new { Name = "glueetl", ScriptLocation = Path.Combine(stack.Directory, "no-such-report.yaml") },
        });
        await stack.GlueAsync("CreateWorkflow", new { Name = "nightly" });
        await stack.GlueAsync("CreateTrigger", new
        {
            Name = "nightly-start", WorkflowName = "nightly", Type = "ON_DEMAND", Actions = new[] { new { JobName = "nightly-revenue" } },
        });
        await stack.GlueAsync("CreateTrigger", new
        {
            Name = "nightly-next", WorkflowName = "nightly", Type = "CONDITIONAL", StartOnCreation = true,
            Predicate = new { Conditions = new[] { new { LogicalOperator = "EQUALS", JobName = "nightly-revenue", State = "SUCCEEDED" } } },
            Actions = new[] { new { JobName = "nightly-report" } },
        });

        await using var console = await _browser.OpenAsync(stack.Api);
        var page = console.Page;
        await page.GotoAsync("/ui/jobs");
        await page.GetByRole(AriaRole.Link, new() { Name = "nightly", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/ui/jobs/workflows/nightly");
        var graph = page.GetByTestId("workflow-graph");
        var nodes = graph.Locator("g.node");
        await Assertions.Expect(nodes).ToHaveCountAsync(4);
        (await nodes.EvaluateAllAsync<string[]>("ns => ns.map(n => n.dataset.node)")).Should().BeEquivalentTo(
            "trigger:nightly-start", "job:nightly-revenue", "trigger:nightly-next", "job:nightly-report");
        (await nodes.Locator("title").AllTextContentsAsync()).Should().BeEquivalentTo(
            "nightly-start: trigger", "nightly-revenue: job", "nightly-next: trigger", "nightly-report: job");
        // Three edges, drawn from the box of their source to the box of their destination, left to right.
        var edges = graph.Locator("line.edge");
        await Assertions.Expect(edges).ToHaveCountAsync(3);
        var boxes = await nodes.EvaluateAllAsync<Dictionary<string, double>>(
            "ns => Object.fromEntries(ns.map(n => [n.dataset.node, +n.querySelector('rect').getAttribute('x')]))");
        boxes["trigger:nightly-start"].Should().BeLessThan(boxes["job:nightly-revenue"]);
        boxes["job:nightly-revenue"].Should().BeLessThan(boxes["trigger:nightly-next"]);
        boxes["trigger:nightly-next"].Should().BeLessThan(boxes["job:nightly-report"]);
        var table = page.GetByTestId("workflow-nodes");
        await Assertions.Expect(table.Locator("caption")).ToHaveTextAsync("Nodes (no run yet)");
        await Assertions.Expect(table.Locator("tr[data-node='job:nightly-revenue'] td").Nth(2)).ToHaveTextAsync("← nightly-start, → nightly-next");
        (await nodes.EvaluateAllAsync<string?[]>("ns => ns.map(n => n.dataset.state ?? null)")).Should().OnlyContain(s => s == null, "no run yet");
        await console.ScreenshotAsync("workflow");

        // A run, started through the Glue API: the page (polling) shows each job node's state as GetWorkflow's last run reports it.
        var runId = (string)(await stack.GlueAsync("StartWorkflowRun", new { Name = "nightly" }))["RunId"]!;
        await Assertions.Expect(table.Locator("caption")).ToContainTextAsync(runId, new() { Timeout = 30_000 });
        var revenue = graph.Locator("g.node[data-node='job:nightly-revenue']");
        await Assertions.Expect(revenue).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(SUCCEEDED|FAILED)$"), new() { Timeout = 120_000 });
        var report = graph.Locator("g.node[data-node='job:nightly-report']");
        if (await revenue.GetAttributeAsync("data-state") == "SUCCEEDED")
        {
            await Assertions.Expect(report).ToHaveAttributeAsync("data-state", "FAILED", new() { Timeout = 60_000 });
        }

        var last = (await stack.GlueAsync("GetWorkflow", new { Name = "nightly", IncludeGraph = true }))["Workflow"]!["LastRun"]!;
        ((string)last["WorkflowRunId"]!).Should().Be(runId);
        foreach (var node in last["Graph"]!["Nodes"]!.AsArray().Where(n => (string)n!["Type"]! == "JOB"))
        {
            var runs = node!["JobDetails"]?["JobRuns"]?.AsArray() ?? [];
            var expected = runs.Count == 0 ? null : (string?)runs.OrderByDescending(r => (double)r!["StartedOn"]!).First()!["JobRunState"];
            (await graph.Locator($"g.node[data-node='{(string)node["UniqueId"]!}']").GetAttributeAsync("data-state")).Should().Be(expected,
                $"the state of {(string)node["Name"]!} in run {runId}");
        }

        (await graph.Locator("g.node[data-node^='trigger:']").EvaluateAllAsync<string?[]>("ns => ns.map(n => n.dataset.state ?? null)"))
            .Should().OnlyContain(s => s == null, "a trigger has no run state");
        await console.ScreenshotAsync("workflow-run");

        // The backfill's page: its run with its log (ended, so read once), and its bookmark reset from the UI.
        var revenueState = await revenue.GetAttributeAsync("data-state");
        await page.GotoAsync("/ui/jobs/nightly-revenue");
        var batchRun = page.GetByTestId("runs").Locator("tbody tr").First;
        await Assertions.Expect(batchRun).ToHaveAttributeAsync("data-state", revenueState!);
        await batchRun.GetByTestId("show-log").ClickAsync();
        var log = page.GetByTestId("run-log");
        await Assertions.Expect(log).ToHaveAttributeAsync("data-state", revenueState!);
        await Assertions.Expect(log).ToContainTextAsync("queued by trigger nightly-start");
        await Assertions.Expect(log).ToContainTextAsync($"ended {revenueState}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset bookmark" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Bookmark reset: the next incremental run reads everything again.");
        await console.ScreenshotAsync("job-batch-run");
        console.Errors.Should().BeEmpty();
    }
}
