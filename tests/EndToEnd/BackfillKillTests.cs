using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;
using Streams.Testing;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// A <c>streams backfill</c> process killed with SIGKILL mid-run (the real executable, no chance to clean up): the merged
/// view, the watermark and the bookmark stay as the last successful run left them, and the rerun completes with
/// DuckDB's totals over every file.
/// </summary>
public sealed partial class BackfillKillTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _postgres = null!;
    private DirectoryInfo _work = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _postgres = NpgsqlDataSource.Create(_database.ConnectionString);
        _work = Directory.CreateTempSubdirectory("streams-backfill-kill-");
        Directory.CreateDirectory(Lake);
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        await _database.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private string Lake => Path.Combine(_work.FullName, "lake");

    private Dictionary<string, string> Environment => new()
    {
        ["STREAMS__POSTGRES__CONNECTIONSTRING"] = _database.ConnectionString,
        ["STREAMS__LAKE__ROOT"] = Lake,
    };

    private static string[] Arguments(string spec, params string[] options) =>
        [Path.Combine(AppContext.BaseDirectory, "streams.dll"), "backfill", spec, "--watermark", "2100-01-01T00:00:00Z", .. options];

    /// <summary>Rows <paramref name="from"/>..<paramref name="to"/> of the test lake as one Parquet file per dt= partition, named <paramref name="name"/>.</summary>
    private Task WriteAsync(long from, long to, string name) => DuckDb.QueryAsync(
        $"COPY ({TestLake.Select(from, to)}) TO {DuckDb.Literal(Path.Combine(Lake, "orders"))} (FORMAT PARQUET, PARTITION_BY (dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN '{name}')",
        "SELECT 1");

    [Fact]
    public async Task A_backfill_killed_mid_run_leaves_view_watermark_and_bookmark_unchanged_and_the_rerun_completes()
    {
        var spec = Path.Combine(_work.FullName, "hourly.yaml");
        await File.WriteAllTextAsync(spec, ViewComparison.Pipeline("hourly", "orders", bookmarks: "enable"));
        await WriteAsync(0, 6000, "first");
        await ExternalTool.RunAsync("dotnet", Arguments(spec, "--full"), workingDirectory: _work.FullName, environment: Environment, timeout: TimeSpan.FromSeconds(120));
        var view = await ViewComparison.ViewAsync(_postgres, "hourly");
        var output = await SnapshotAsync("SELECT generation, watermark FROM serving.outputs WHERE name = 'hourly'");
        var bookmark = await SnapshotAsync("SELECT path, size, etag, rows, min_time, max_time, run_id FROM batch.bookmarks WHERE pipeline = 'hourly' ORDER BY path");
        bookmark.Should().HaveCount(5, "the first run read the five dt= partitions of the first files");

        // A large addition (about 1,400 new partitions) read by one reader: killed once it has read some of it.
        await WriteAsync(6000, 2_000_000, "second");
        var killed = await RunAndKillAsync(Arguments(spec, "--incremental", "--parallel", "1"));

        (await ViewComparison.ViewAsync(_postgres, "hourly")).Should().Equal(view, "a killed run changes nothing visible:\n" + killed);
        (await SnapshotAsync("SELECT generation, watermark FROM serving.outputs WHERE name = 'hourly'")).Should().Equal(output);
        (await SnapshotAsync("SELECT path, size, etag, rows, min_time, max_time, run_id FROM batch.bookmarks WHERE pipeline = 'hourly' ORDER BY path"))
            .Should().Equal(bookmark);

        var rerun = await ExternalTool.RunAsync("dotnet", Arguments(spec, "--incremental"), workingDirectory: _work.FullName, environment: Environment,
            timeout: TimeSpan.FromSeconds(300));
        var expected = ViewComparison.Render(await DuckDb.QueryAsync(
            $"CREATE VIEW orders AS SELECT * FROM read_parquet({DuckDb.Literal(Path.Combine(Lake, "orders") + "/*/*.parquet")}, hive_partitioning = true)",
            ViewComparison.DuckDbSql()));
        (await ViewComparison.ViewAsync(_postgres, "hourly")).Should().Equal(expected, rerun);
        (await _postgres.CreateCommand("SELECT count(*) FROM batch.bookmarks WHERE pipeline = 'hourly'").ExecuteScalarAsync())
            .Should().Be((long)Directory.GetFiles(Path.Combine(Lake, "orders"), "*.parquet", SearchOption.AllDirectories).Length);
    }

    /// <summary>Starts <c>streams backfill</c>, waits for a progress line showing rows read and splits left, and kills it (SIGKILL).</summary>
    private async Task<string> RunAndKillAsync(string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _work.FullName };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }

        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (!lines.Any(MidRun))
        {
            process.HasExited.Should().BeFalse("the run should still be reading when it is killed:\n" + string.Join('\n', lines));
            deadline.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(120), string.Join('\n', lines));
            await Task.Delay(50);
        }

        process.Kill();
        await process.WaitForExitAsync();
        process.ExitCode.Should().NotBe(0);
        return string.Join('\n', lines);
    }

    private static bool MidRun(string line) =>
        Progress().Match(line) is { Success: true } m && long.Parse(m.Groups[3].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) > 0
                                                    && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<string>> SnapshotAsync(string sql)
    {
        await using var command = _postgres.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    [GeneratedRegex(@"splits (\d+)/(\d+), ([\d,]+) rows")]
    private static partial Regex Progress();
}
