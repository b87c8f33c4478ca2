using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Streams.Testing;

namespace Streams.Console.Tests;

/// <summary>
/// Where the API verifies SigV4 (<c>Streams:Catalog:AccessKeys</c>), so do the console's data endpoints, and the console
/// signs its calls with the key the user gives it: checked against awscli as the independent signer.
/// </summary>
public sealed class ConsoleAuthTests
{
    private const string AccessKey = "AKIDCONSOLETEST";
    private const string Secret = "console-secret-key";

    [Fact]
    public async Task The_console_signs_its_calls_with_the_given_key_and_unsigned_calls_are_refused()
    {
        await using var host = await ConsoleHost.StartAsync($"--Streams:Catalog:AccessKeys:{AccessKey}={Secret}");
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        ((bool)JsonNode.Parse(await http.GetStringAsync("/api/console/info"))!["authRequired"]!).Should().BeTrue();
        using (var unsigned = await http.GetAsync("/api/console/pipelines"))
        {
            unsigned.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await unsigned.Content.ReadAsStringAsync()).Should().Contain("MissingAuthenticationTokenException");
        }

        // So is the replay, which changes data, and a run's log.
        using (var replay = await http.PostAsync("/api/console/pipelines/clicks/dead-letters/replay",
                   new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            replay.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        (await http.GetAsync("/api/console/jobs/j/runs/jr_1/log")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // awscli signs for itself: a database the console must then list.
        await ExternalTool.RunAsync("aws", ["glue", "create-database", "--database-input", "{\"Name\": \"signed_db\"}", "--endpoint-url", host.Url],
            environment: new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = Secret,
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_EC2_METADATA_DISABLED"] = "true",
            });

        await using var browser = await ConsoleBrowser.LaunchAsync();
        await using var console = await browser.OpenAsync(host.Url);
        var page = console.Page;
        await page.GotoAsync("/ui/catalog");
        // No key yet: the console asks for one before it calls anything.
        var form = page.GetByRole(AriaRole.Form, new() { Name = "access key" });
        await Assertions.Expect(form).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("databases")).ToHaveCountAsync(0);
        console.Errors.Should().BeEmpty();

        // A wrong secret: the host's refusal is shown as it is.
        await form.GetByLabel("Access key id").FillAsync(AccessKey);
        await form.GetByLabel("Secret access key").FillAsync("not-the-secret");
        await form.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("signature we calculated does not match");
        console.Errors.Should().OnlyContain(e => e.Contains("status of 403", StringComparison.Ordinal), "the refused calls, and nothing else");
        await console.ScreenshotAsync("auth-refused");

        // The right secret: signed Glue calls and signed console calls go through.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Key {AccessKey}" }).ClickAsync();
        await form.GetByLabel("Secret access key").FillAsync(Secret);
        await form.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("databases").GetByRole(AriaRole.Link, new() { Name = "signed_db" })).ToBeVisibleAsync();
        var errorsBefore = console.Errors.Count;
        await page.GetByRole(AriaRole.Link, new() { Name = "Pipelines", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No pipeline has written to the serving layer")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No pipeline has written to the serving layer yet.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        console.Errors.Should().HaveCount(errorsBefore, "signed calls are not refused");
    }
}
