using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Streams.Testing;

/// <summary>
/// An API served by Kestrel on a free 127.0.0.1 port, built the way the host builds its own
/// (slim builder, warnings-only logging), so that tests reach it over real HTTP.
/// </summary>
public sealed class TestWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebServer(WebApplication app)
    {
        _app = app;
        Url = app.Urls.Single().TrimEnd('/');
    }

    /// <summary>The base URL, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds the application (<paramref name="configure"/> registers services and configuration),
    /// maps its endpoints with <paramref name="map"/>, and starts it.
    /// </summary>
    public static async Task<TestWebServer> StartAsync(Action<WebApplicationBuilder>? configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
            return new TestWebServer(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
