using Streams.Streaming.Kafka;
using Streams.Streaming.Tests.Speed;
using Streams.Testing;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// The lambda equality: <c>streams stream</c> over the embedded broker (schema v1, then a compatible v2 mid-stream,
/// read through the v1 reader schema) fills the merged view and archives what passed the schema under
/// <c>&lt;lake&gt;/sales/dt=/hour=</c>, registered as catalog table <c>archive.sales</c>; <c>streams backfill</c> over that table, with the same spec, yields the
/// same rows (every key and window, same values) in the batch layer, and the same transform dead letters.
/// </summary>
public sealed class LambdaEqualityTests() : StreamProcessTestBase("streams-lambda-")
{
    private static readonly string[] Columns = ["customer", "window_start", "orders", "revenue", "codes"];

    [Fact]
    public async Task A_backfill_over_the_speed_archive_gives_the_view_the_stream_computed()
    {
        // One spec for both layers: the topic for the stream, and for the backfill the catalog table the stream registers
        // its archive's partitions in.
        var spec = Path.Combine(WorkDirectory.FullName, "sales.yaml");
        await File.WriteAllTextAsync(spec, SalesEvents.PipelineYaml.Replace("source:\n", "source:\n  batch: { table: archive.sales, bookmarks: disable }\n", StringComparison.Ordinal));
        await Producer.ProduceAsync(0, 1000);
        await using (var stream = StreamProcess.Start(spec, ArchiveRollingEnvironment()))
        {
            // Schema v2 arrives while the stream runs: registered as the subject's next version, read as v1.
            await Producer.ProduceAsync(1000, 1000, v2: true);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (await Stack.RecordsAccountedAsync() < Producer.Produced)
            {
                stream.HasExited.Should().BeFalse(stream.Stderr);
                DateTime.UtcNow.Should().BeBefore(deadline, stream.Stderr);
                await Task.Delay(200);
            }

            (await stream.TerminateAsync()).Should().Be(0, stream.Stderr);
        }

        await Stack.AssertExactAsync(Producer);
        var (_, files) = await Stack.ArchiveAsync();
        // Rolls run on age (1 s here) as well as on close, so an hour folder may hold several rolled files per partition;
        // what must hold is that they cover each partition's offsets once: no overlap, no gap, from offset 0.
        foreach (var partition in files.Select(f => Path.GetFileName(f)).GroupBy(name => name[..5]))
        {
            var ranges = partition.Select(name => name[..^".parquet".Length].Split('-'))
                .Select(parts => (First: long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                    Last: long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)))
                .OrderBy(r => r.First).ToList();
            ranges[0].First.Should().Be(0, $"partition {partition.Key}'s archive starts at its first offset: " + string.Join(", ", files));
            for (var i = 1; i < ranges.Count; i++)
            {
                ranges[i].First.Should().Be(ranges[i - 1].Last + 1,
                    $"partition {partition.Key}'s archive files follow each other without overlap or gap: " + string.Join(", ", files));
            }
        }

        var streamed = await RowsAsync("serving.sales_per_hour");
        var transformDeadLetters = Producer.Sales.Count(s => !s.PassesTransforms);

        // Every window closed before the watermark: the merged view is the batch layer's alone.
        await ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "streams.dll"), "backfill", spec, "--full", "--watermark", "2100-01-01T00:00:00Z"],
            workingDirectory: WorkDirectory.FullName, environment: ArchiveRollingEnvironment(), timeout: TimeSpan.FromSeconds(120));

        var batch = await RowsAsync("serving.sales_per_hour_batch b JOIN serving.outputs o ON o.name = 'sales_per_hour' WHERE b._generation = o.generation");
        batch.Should().HaveCountGreaterThan(20).And.Equal(streamed, "the backfill over the archive computes what the stream computed");
        (await RowsAsync("serving.sales_per_hour")).Should().Equal(streamed);
        (await Stack.ScalarAsync<long>("SELECT count(*) FROM serving.dead_letters WHERE pipeline = 'sales'"))
            .Should().Be(transformDeadLetters, "the archive holds what passed the schema; the same records fail the same transform");
    }

    private async Task<List<string>> RowsAsync(string from)
    {
        await using var command = Stack.DataSource.CreateCommand(
            $"SELECT {string.Join(", ", Columns)} FROM {from} ORDER BY customer COLLATE \"C\", window_start");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, Columns.Length).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    // Roll the archive's micro-batch files every second, so the backfill reads rolled files and segments.
    private Dictionary<string, string> ArchiveRollingEnvironment() => ProcessEnvironment(archiveFileAge: TimeSpan.FromSeconds(1));
}
