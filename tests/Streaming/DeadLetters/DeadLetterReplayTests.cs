using System.Globalization;
using Streams.Pipelines.Specs;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Tests.Speed;

namespace Streams.Streaming.Tests.DeadLetters;

/// <summary>
/// Replaying dead letters after a fix: the pipeline's CAST rejected codes like "x13"; the fixed spec strips the
/// "x". A replay applies those records to the merged view and removes their dead letters in one transaction; the
/// records the schema rejects still stay, with the reason of the new attempt; a second replay changes nothing.
/// </summary>
public sealed class DeadLetterReplayTests : SalesStreamTestBase
{
    [Fact]
    public async Task Replay_applies_the_fixed_records_once_and_keeps_the_still_dead_with_their_new_reason()
    {
        await Producer.ProduceAsync(0, 600);
        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml);
        var lake = new Streams.Catalog.Storage.LocalLakeStorage(Stack.Lake.FullName);
        using (var pipeline = await SpeedPipeline.CreateAsync(spec, Stack.DataSource, Stack.Registry, Stack.Clients, Stack.Topics, lake: lake))
        await using (var layer = pipeline.CreateLayer(Stack.LayerOptions()))
        {
            await layer.StartAsync();
            await ConsumeAllAsync(layer);
        }

        await Stack.AssertExactAsync(Producer);
        var table = new KafkaDeadLetterTable(spec.Name);
        var castFailures = await table.ListAsync(Stack.DataSource, new DeadLetterQuery(Reason: "cast"));
        castFailures.Select(d => d.Record.Offset).Should().HaveCount(Producer.Sales.Count(s => !s.PassesTransforms));
        (await table.ListAsync(Stack.DataSource, new DeadLetterQuery(Limit: 2))).Should().HaveCount(2);
        var schemaDead = Producer.Malformed.Count;
        var (archivedBefore, _) = await Stack.ArchiveAsync();

        var fixedSpec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml.Replace("CAST(code AS int)", "CAST(replace(code, 'x', '') AS int)", StringComparison.Ordinal));
        var result = await DeadLetterReplay.RunAsync(fixedSpec, Stack.DataSource, Stack.Registry, new DeadLetterQuery(), lake);
        result.Selected.Should().Be(castFailures.Count + schemaDead);
        result.Replayed.Should().Be(castFailures.Count);
        result.StillDead.Should().HaveCount(schemaDead).And.OnlyContain(d => d.Stage == KafkaDeadLetter.SchemaStage);

        (await Stack.ViewRowsAsync()).Should().Equal(ExpectedAfterFix(), "the fixed records joined their windows");
        var left = await Stack.DeadLetterRowsAsync();
        left.Select(d => (d.Partition, d.Offset)).Should().Equal(Producer.Malformed.Select(m => (m.Partition, m.Offset)).Order());
        foreach (var (dead, malformed) in left.Zip(Producer.Malformed.OrderBy(m => m.Partition).ThenBy(m => m.Offset)))
        {
            dead.Reason.Should().Contain(malformed.Reason);
        }

        (await table.ListAsync(Stack.DataSource, new DeadLetterQuery())).Should().OnlyContain(d => d.ReplayedAt != null, "a replay tried each");
        var (archivedAfter, _) = await Stack.ArchiveAsync();
        archivedAfter.Order().Should().Equal(archivedBefore.Order(), "the stream archived the transform failures already, and the schema rejects stay out");

        var again = await DeadLetterReplay.RunAsync(fixedSpec, Stack.DataSource, Stack.Registry, new DeadLetterQuery(), lake);
        again.Replayed.Should().Be(0);
        again.Selected.Should().Be(schemaDead);
        (await Stack.ViewRowsAsync()).Should().Equal(ExpectedAfterFix(), "nothing is applied twice");
    }

    [Fact]
    public async Task Replay_lets_late_records_of_every_partition_join_their_windows()
    {
        // A one-minute watermark delay: sales 0-99 and 1000-1099 (hours 0 and 2) arrive after sales 2000-2399 (hours 3-4)
        // were committed, so they are late. In the replay, partition 0's letters include hour 2's: they must not make
        // the other partitions' hour-0 letters late again.
        var spec = PipelineSpecLoader.Parse(SalesEvents.PipelineYaml.Replace("watermark_delay: 1d", "watermark_delay: 1m", StringComparison.Ordinal));
        await Producer.ProduceAsync(2000, 400);
        await StreamAsync(spec);
        await Producer.ProduceAsync(1000, 100);
        await Producer.ProduceAsync(0, 100);
        await StreamAsync(spec);
        var table = new KafkaDeadLetterTable(spec.Name);
        var late = await table.ListAsync(Stack.DataSource, new DeadLetterQuery(Reason: "late record"));
        late.Select(d => d.Record.Partition).Distinct().Order().Should().Equal([0, 1, 2, 3], "every partition has late records");

        var result = await DeadLetterReplay.RunAsync(spec, Stack.DataSource, Stack.Registry, new DeadLetterQuery(Reason: "late record"));
        result.Selected.Should().Be(late.Count);
        result.StillDead.Should().BeEmpty("a replayed record joins its window whatever its lateness");
        result.Replayed.Should().Be(late.Count);
        (await Stack.ViewRowsAsync()).Sum(r => r.Orders).Should().Be(Producer.Sales.Count(s => s.PassesTransforms),
            "every sale that passes the transforms is counted once, late or not");
    }

    private async Task StreamAsync(PipelineSpec spec)
    {
        using var pipeline = await SpeedPipeline.CreateAsync(spec, Stack.DataSource, Stack.Registry, Stack.Clients, Stack.Topics);
        await using var layer = pipeline.CreateLayer(Stack.LayerOptions());
        await layer.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // A second run reads on from Kafka's committed offsets: done when the partitions' next offsets add up to what was produced.
        while (layer.Metrics.Partitions.Count < 4 || layer.Metrics.Partitions.Sum(p => p.NextOffset) < Producer.Produced)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the layer should consume {Producer.Produced} records (state {layer.State})");
            await Task.Delay(100);
        }
    }

    private List<(string Customer, DateTime Hour, long Orders, long Revenue, long Codes)> ExpectedAfterFix() =>
        [.. Producer.Sales
            .GroupBy(s => (s.Customer, s.Hour))
            .Select(g => (g.Key.Customer, g.Key.Hour, (long)g.Count(), g.Sum(s => s.Amount),
                g.Sum(s => long.Parse(s.Code.TrimStart('x'), CultureInfo.InvariantCulture))))
            .OrderBy(r => r.Customer, StringComparer.Ordinal).ThenBy(r => r.Hour)];
}
