using Streams.Testing;
using Streams.Batch.Planning;
using Streams.Batch.Reading;
using Streams.Batch.Sources;
using Streams.Catalog.Storage;
using Streams.Formats.Model;
using Streams.Pipelines.Specs;

namespace Streams.Batch.Tests;

/// <summary>The source side of a backfill over a lake written by DuckDB and python3-avro: pruning, splits, parallel reads, pushdown, bad data.</summary>
public sealed class LakeSourceTests : IAsyncLifetime
{
    private const int Rows = 6000;
    private TestLake _lake = null!;

    public async Task InitializeAsync() => _lake = await TestLake.CreateAsync(Rows);

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    private static PipelineSpec Spec(string path, string? filter = null) => PipelineSpecLoader.Parse($$"""
        name: orders
        source: { batch: { path: {{path}} } }
        transforms: [{{(filter is null ? "" : $"{{ filter: \"{filter}\" }}")}}]
        """, "orders.yaml");

    private async Task<(BackfillPlan Plan, List<SplitChunk> Chunks)> ReadAsync(string path, string? where = null, string? filter = null, int readers = 2)
    {
        var storage = new LocalLakeStorage(_lake.Root);
        var spec = Spec(path, filter);
        var source = await new BatchSourceResolver(storage, null).ResolveAsync(spec.Source.Batch!, where);
        var plan = await new BackfillPlanner(storage, splitBytes: 16 << 10).PlanAsync(spec, source, source.Files, null);
        var chunks = new List<SplitChunk>();
        await foreach (var chunk in new ParallelSplitReader(new SplitReader(storage, plan.Layout, plan.Predicates, 1000), readers)
                           .ReadAsync(new LocalSplitQueue(plan.Splits)))
        {
            chunks.Add(chunk);
        }

        return (plan, chunks);
    }

    [Theory]
    [InlineData(TestLake.ParquetTable)]
    [InlineData(TestLake.AvroTable)]
    public async Task Reads_every_row_of_every_partition_as_DuckDB_counts_them(string table)
    {
        var (plan, chunks) = await ReadAsync(table);

        var expected = await _lake.QueryAsync("SELECT dt, count(*) AS n, sum(id) AS ids FROM orders GROUP BY dt ORDER BY dt");
        plan.Source.PartitionKeys.Select(k => k.Name).Should().Equal("dt");
        plan.Source.Partitions.Select(p => p.Values[0]).Should().Equal(expected.Select(r => (string)r!["dt"]!));
        plan.Layout.OutputSchema.Fields.Select(f => f.Name).Should().Equal("id", "customer", "amount", "qty", "note", "ts", "dt");
        var records = chunks.OfType<SplitChunk.Records>().SelectMany(c => c.Batch.Records).ToList();
        var byPartition = records.GroupBy(r => (string)r["dt"]!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Count: g.Count(), Ids: g.Sum(r => (long)r["id"]!))).ToList();
        byPartition.Should().Equal(expected.Select(r => ((string)r!["dt"]!, int.Parse(r["n"]!.ToString()), long.Parse(r["ids"]!.ToString()))));
        chunks.OfType<SplitChunk.Failure>().Should().BeEmpty();
        chunks.OfType<SplitChunk.Done>().Select(d => d.Split.Id).Should().OnlyHaveUniqueItems().And.HaveCount(plan.Splits.Count);
        records.Should().OnlyContain(r => ReferenceEquals(r.Schema, plan.Layout.OutputSchema));
    }

    [Fact]
    public async Task Prunes_partitions_by_the_predicate_before_opening_a_file()
    {
        var all = await ReadAsync(TestLake.ParquetTable);
        var partitions = all.Plan.Source.Partitions.Select(p => p.Values[0]).ToList();
        partitions.Should().HaveCountGreaterThan(2, "the test lake spans several days");
        var cut = partitions[1];
        var expected = await _lake.QueryAsync($"SELECT count(*) AS n FROM orders WHERE dt >= '{cut}'");
        // A corrupt file in a pruned partition proves it is never opened.
        await File.WriteAllTextAsync(Path.Combine(_lake.Root, TestLake.ParquetTable, $"dt={partitions[0]}", "corrupt.parquet"), "not parquet");

        var (plan, chunks) = await ReadAsync(TestLake.ParquetTable, where: $"dt >= '{cut}'");

        plan.Source.Partitions.Select(p => p.Values[0]).Should().Equal(partitions.Skip(1));
        plan.Source.PrunedPartitions.Should().Be(1);
        chunks.OfType<SplitChunk.Failure>().Should().BeEmpty();
        chunks.OfType<SplitChunk.Records>().Sum(c => c.Batch.Count).Should().Be(int.Parse(expected[0]!["n"]!.ToString()));
    }

    [Fact]
    public async Task Skips_parquet_row_groups_the_filter_rules_out_by_statistics()
    {
        const long cut = 5000;
        var (plan, chunks) = await ReadAsync(TestLake.ParquetTable, filter: $"id >= {cut}");

        plan.Predicates.Should().ContainSingle().Which.Column.Should().Be("id");
        var skipped = chunks.OfType<SplitChunk.Done>().Sum(d => d.RowGroupsSkipped);
        skipped.Should().BeGreaterThan(0);
        var read = chunks.OfType<SplitChunk.Records>().SelectMany(c => c.Batch.Records).ToList();
        read.Count.Should().BeLessThan(Rows);
        // Skipping is sound: every row the filter keeps is still read.
        var expected = await _lake.QueryAsync($"SELECT count(*) AS n FROM orders WHERE id >= {cut}");
        read.Count(r => (long)r["id"]! >= cut).Should().Be(int.Parse(expected[0]!["n"]!.ToString()));
    }

    [Fact]
    public async Task Bad_files_and_rows_become_failures_with_file_and_row_while_the_rest_is_read()
    {
        var folder = Path.Combine(_lake.Root, "orders_jsonl", "dt=2026-11-01");
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "a.jsonl"), [
            """{"id": 1, "customer": "c1", "amount": null, "qty": 1, "note": null, "ts": 1764547200000000}""",
            """{"id": "two", "customer": "c1", "amount": null, "qty": 1, "note": null, "ts": 1764547200000000}""",
            """{"id": 3, "customer": "c1", "amount": null, "qty": 1, "note": null, "ts": 1764547200000000}""",
        ]);
        await File.WriteAllTextAsync(Path.Combine(folder, "b.parquet"), "PAR1 truncated");
        var storage = new LocalLakeStorage(_lake.Root);
        var avro = await new BatchSourceResolver(storage, null).ResolveAsync(new BatchSourceSpec(null, TestLake.AvroTable, null), null);
        var schema = (RecordSchema)(await new BackfillPlanner(storage).PlanAsync(Spec(TestLake.AvroTable), avro, [], null)).Layout.FileSchema;
        var spec = Spec("orders_jsonl");
        var source = await new BatchSourceResolver(storage, null).ResolveAsync(spec.Source.Batch!, null);
        var plan = await new BackfillPlanner(storage).PlanAsync(spec, source, source.Files, schema);
        var chunks = new List<SplitChunk>();
        await foreach (var chunk in new ParallelSplitReader(new SplitReader(storage, plan.Layout, plan.Predicates), 2).ReadAsync(new LocalSplitQueue(plan.Splits)))
        {
            chunks.Add(chunk);
        }

        chunks.OfType<SplitChunk.Records>().SelectMany(c => c.Batch.Records).Select(r => (long)r["id"]!).Should().BeEquivalentTo([1L, 3L]);
        chunks.OfType<SplitChunk.Records>().SelectMany(c => c.Batch.Positions!).Select(p => p!.Value.Offset).Should().BeEquivalentTo([0L, 2L]);
        var failures = chunks.OfType<SplitChunk.Failure>().OrderBy(f => f.Split.Id, StringComparer.Ordinal).ToList();
        failures.Should().HaveCount(2);
        failures[0].Split.File.Path.Should().EndWith("a.jsonl");
        failures[0].Row.Should().Be(1);
        failures[0].RestOfSplit.Should().BeFalse();
        failures[0].Reason.Should().Contain("a.jsonl").And.Contain("line 2");
        failures[1].Split.File.Path.Should().EndWith("b.parquet");
        failures[1].RestOfSplit.Should().BeTrue();
        failures[1].Reason.Should().Contain("b.parquet");
    }
}
