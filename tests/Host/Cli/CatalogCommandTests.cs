using Npgsql;
using Streams.Catalog.Model;
using Streams.Catalog.Store;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary><c>streams crawl</c> and <c>streams catalog</c> as a separate process configured by environment variables.</summary>
public sealed class CatalogCommandTests : IAsyncLifetime
{
    private readonly string _lake = Directory.CreateTempSubdirectory("catalog-cli-").FullName;
    private TestDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var store = new CatalogStore(NpgsqlDataSource.Create(_database.ConnectionString), new SecretProtector(null));
        await store.MigrateAsync();
        await store.CreateDatabaseAsync(new DatabaseInput { Name = "lake" });
        await store.CreateCrawlerAsync(new CrawlerInput
        {
            Name = "sales",
            DatabaseName = "lake",
            Targets = new CrawlerTargets { S3Targets = [new S3Target { Path = _lake }] },
        });
        foreach (var month in new[] { 1, 2 })
        {
            var folder = Path.Combine(_lake, "sales", $"month={month}");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "a.csv"), $"id,amount\n{month},{month * 1.5}\n");
        }
    }

    public async Task DisposeAsync()
    {
        await _database!.DisposeAsync();
        Directory.Delete(_lake, recursive: true);
    }

    private Task<string> Streams(params string[] args) =>
        ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), .. args],
            workingDirectory: _lake,
            environment: new Dictionary<string, string>
            {
                ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _database!.ConnectionString,
                ["STREAMS__LAKE__ROOT"] = _lake,
                ["COLUMNS"] = "200",
            },
            timeout: TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Catalog_show_into_a_pipe_has_no_colour_codes_and_does_not_wrap()
    {
        var store = new CatalogStore(NpgsqlDataSource.Create(_database!.ConnectionString), new SecretProtector(null));
        var note = string.Join(' ', Enumerable.Repeat("a-long-parameter-value", 12));
        await store.CreateTableAsync("lake", new TableInput
        {
            Name = "wide",
            StorageDescriptor = new StorageDescriptor { Columns = [new Column { Name = "id", Type = "bigint" }], Location = _lake + "/wide" },
            Parameters = new Dictionary<string, string> { ["note"] = note },
        });

        // No COLUMNS: a redirected console must not fall back to 80 columns; TERM asks for colour, which a pipe must not get.
        var show = await ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), "catalog", "show", "lake", "wide"],
            workingDirectory: _lake,
            environment: new Dictionary<string, string>
            {
                ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _database.ConnectionString,
                ["STREAMS__LAKE__ROOT"] = _lake,
                ["TERM"] = "xterm-256color",
                ["COLORTERM"] = "truecolor",
            },
            timeout: TimeSpan.FromSeconds(60));

        show.Should().NotContain("\u001b").And.Contain("lake.wide");
        show.Split('\n').Should().Contain(line => line.Contains(note), "the parameter's value stays on one line");
    }

    [Fact]
    public async Task Crawl_prints_a_summary_and_catalog_lists_what_it_found()
    {
        var crawl = await Streams("crawl", "sales");
        crawl.Should().Contain("SUCCEEDED").And.MatchRegex(@"Tables created\s*│\s*1").And.MatchRegex(@"Partitions added\s*│\s*2");

        (await Streams("catalog", "tables", "lake")).Should().Contain("sales").And.Contain("month int");
        var partitions = await Streams("catalog", "partitions", "lake", "sales", "--expression", "month > 1");
        partitions.Should().Contain("month=2").And.NotContain("month=1/");
        (await Streams("catalog", "show", "lake", "sales")).Should().Contain("amount").And.Contain("double");

        var missing = () => Streams("crawl", "nothing");
        (await missing.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Crawler nothing not found.");
    }
}
