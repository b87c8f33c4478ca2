using Microsoft.Playwright;

namespace Streams.Console.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright's bundled driver: no browser download. The flags keep Chromium
/// off the network it cannot reach here (background updates, sync, QUIC). Every page it opens records console errors
/// and uncaught exceptions, and screenshots go to <c>screenshots/</c> under the test output.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        File.Exists(ChromiumPath).Should().BeTrue("scripts/setup installs Debian's chromium, which the browser tests drive");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A new page at 1280x800 (or <paramref name="width"/> x <paramref name="height"/>) that records its errors.</summary>
    public async Task<ConsolePage> OpenAsync(string baseUrl, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        return new ConsolePage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page with the console errors, uncaught exceptions and failed requests it has seen.</summary>
internal sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"uncaught on {page.Url}: {error}");
        // A poll still in flight when the test navigates away is aborted by the browser: not a failure of the page.
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure != "net::ERR_ABORTED")
            {
                Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Saves a full-page screenshot as <c>screenshots/&lt;name&gt;.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
