using Npgsql;
using Streams.Batch.Backfills;
using Streams.Catalog.Storage;
using Streams.Pipelines.Specs;
using Streams.Testing;

namespace Streams.Batch.Tests;

/// <summary>One full backfill shared by several hosts through split claims in PostgreSQL.</summary>
public sealed class SharedBackfillTests : BackfillTestBase
{
    private static readonly PipelineSpec Spec = PipelineSpecLoader.Parse(ViewComparison.Pipeline("hourly", TestLake.ParquetTable), "p.yaml");

    private static readonly BackfillOptions Options = new() { Watermark = Watermark, Parallelism = 1, SplitBytes = 16 << 10 };

    private SharedBackfill Host(string name) => new(Postgres, new LocalLakeStorage(Lake.Root), null, name);

    [Fact]
    public async Task Two_hosts_share_the_splits_each_split_is_read_once_and_a_dead_hosts_split_is_taken_over()
    {
        var run = await Host("a").CreateAsync(Spec, Options);
        // A host that claimed the first split and then died: its row lock holds until its connection goes.
        var dead = await Postgres.OpenConnectionAsync();
        var deadTransaction = await dead.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand("SELECT ordinal FROM batch.splits WHERE run_id = $1 ORDER BY ordinal LIMIT 1 FOR UPDATE SKIP LOCKED", dead, deadTransaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = run });
            (await claim.ExecuteScalarAsync()).Should().Be(0);
        }

        var a = Task.Run(() => Host("a").WorkAsync(Spec, run, Options));
        var b = Task.Run(() => Host("b").WorkAsync(Spec, run, Options));
        await Task.Delay(TimeSpan.FromSeconds(3));
        a.IsCompleted.Should().BeFalse("split 0 is still held by the dead host");
        await dead.DisposeAsync();
        var summaries = await Task.WhenAll(a, b);

        summaries.Count(s => s.Generation is not null).Should().Be(1, "one host swaps the result in");
        summaries.Sum(s => (long)s.Splits).Should().Be(await ScalarAsync("SELECT count(*) FROM batch.splits WHERE run_id = $1", run));
        summaries.Sum(s => s.RowsRead).Should().Be(6000);
        (await ScalarAsync("SELECT count(DISTINCT done_by) FROM batch.splits WHERE run_id = $1 AND done", run)).Should().Be(2);
        (await ScalarAsync("SELECT count(*) FROM batch.splits WHERE run_id = $1 AND NOT done", run)).Should().Be(0);
        (await ViewComparison.ViewAsync(Postgres, "hourly")).Should().Equal(ViewComparison.Render(await Lake.QueryAsync(ViewComparison.DuckDbSql())));
        await using var status = Postgres.CreateCommand("SELECT status FROM batch.runs WHERE id = $1");
        status.Parameters.Add(new NpgsqlParameter { Value = run });
        ((string)(await status.ExecuteScalarAsync())!).Should().Be("SUCCEEDED");
    }

    private async Task<long> ScalarAsync(string sql, Guid run)
    {
        await using var command = Postgres.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
