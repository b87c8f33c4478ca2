using Streams.Formats.Model;
using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;
using static Streams.Pipelines.Tests.TestRecords;

namespace Streams.Pipelines.Tests;

public sealed class WindowTests
{
    private static readonly AggregateSpec AllMeasures = new(["customer"],
    [
        new MeasureSpec("orders", AggregateFunction.Count, null),
        new MeasureSpec("with_status", AggregateFunction.Count, "status"),
        new MeasureSpec("revenue", AggregateFunction.Sum, "amount"),
        new MeasureSpec("units", AggregateFunction.Sum, "quantity"),
        new MeasureSpec("cheapest", AggregateFunction.Min, "price"),
        new MeasureSpec("dearest", AggregateFunction.Max, "price"),
        new MeasureSpec("avg_price", AggregateFunction.Avg, "price"),
        new MeasureSpec("cities", AggregateFunction.CountDistinct, "address.city"),
        new MeasureSpec("first_id", AggregateFunction.First, "id"),
        new MeasureSpec("last_id", AggregateFunction.Last, "id"),
    ]);

    private static WindowSpec Tumbling(int minutes = 1, int lateness = 0, int delay = 0) =>
        new(WindowKind.Tumbling, "ts", TimeSpan.FromMinutes(minutes), TimeSpan.FromMinutes(minutes), TimeSpan.FromMinutes(delay), TimeSpan.FromMinutes(lateness));

    [Fact]
    public void Tumbling_window_computes_every_aggregate()
    {
        var aggregator = new WindowAggregator(Tumbling(), AllMeasures, enforceLateness: true);
        var context = new TransformContext();
        aggregator.Add(Batch(
            NewOrder(3, amount: 1.25m, quantity: 1, price: 4, ts: At(0, 30), city: "Oslo"),
            NewOrder(1, amount: 2.50m, quantity: 2, price: 8, ts: At(0, 10), city: "Bergen", status: null),
            NewOrder(2, amount: 4.00m, quantity: 3, price: 6, ts: At(0, 50), city: "Oslo"),
            NewOrder(4, customer: "c2", ts: At(1, 5))), context);
        var rows = aggregator.Drain();

        rows.Schema.Fields.Select(f => f.Name).Should().Equal("customer", "window_start", "window_end", "orders", "with_status", "revenue", "units",
            "cheapest", "dearest", "avg_price", "__avg_price_sum", "__avg_price_count", "cities", "__cities_set", "first_id", "__first_id_at", "last_id", "__last_id_at");
        rows.Records.Should().HaveCount(2);
        var c1 = rows.Records[0];
        c1["customer"].Should().Be("c1");
        c1["window_start"].Should().Be(At(0));
        c1["window_end"].Should().Be(At(1));
        c1["orders"].Should().Be(3L);
        c1["with_status"].Should().Be(2L);
        c1["revenue"].Should().Be(DecimalValue.Parse("7.75"));
        c1["units"].Should().Be(6L);
        c1["cheapest"].Should().Be(4.0);
        c1["dearest"].Should().Be(8.0);
        c1["avg_price"].Should().Be(6.0);
        c1["cities"].Should().Be(2L);
        c1["first_id"].Should().Be(1L);
        c1["last_id"].Should().Be(2L);
        rows.Records[1]["window_start"].Should().Be(At(1));
        context.DeadLetters.Should().BeEmpty();
        aggregator.Drain().Records.Should().BeEmpty("drain clears the state");
    }

    [Fact]
    public void Hopping_window_puts_a_record_in_every_window_that_covers_it()
    {
        var window = new WindowSpec(WindowKind.Hopping, "ts", TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.Zero);
        window.WindowStarts(At(5, 30)).Should().Equal(At(5), At(4), At(3));
        var aggregator = new WindowAggregator(window, new AggregateSpec([], [new MeasureSpec("n", AggregateFunction.Count, null)]), enforceLateness: false);
        aggregator.Add(Batch(NewOrder(1, ts: At(5, 30)), NewOrder(2, ts: At(6, 0))), new TransformContext());
        aggregator.Drain().Records.Select(r => ((DateTime)r["window_start"]!, (long)r["n"]!)).Should().Equal(
            (At(3), 1L), (At(4), 2L), (At(5), 2L), (At(6), 1L));
    }

    [Fact]
    public void Speed_layer_rejects_records_later_than_the_allowed_lateness()
    {
        var aggregator = new WindowAggregator(Tumbling(lateness: 2, delay: 1), new AggregateSpec([], [new MeasureSpec("n", AggregateFunction.Count, null)]), enforceLateness: true);
        var context = new TransformContext();
        aggregator.Add(Batch(NewOrder(1, ts: At(10))), context);
        aggregator.Watermark.Should().Be(At(9));
        aggregator.Drain();

        // Watermark 9:00. Window [6,7) ends at 7 + 2 lateness = 9 <= 9: late. Window [7,8) + 2 = 10 > 9: accepted.
        aggregator.Add(Batch(NewOrder(2, ts: At(6, 30)), NewOrder(3, ts: At(7, 30))), context);
        aggregator.Drain().Records.Select(r => r["window_start"]).Should().Equal(At(7));
        var dead = context.DeadLetters.Should().ContainSingle().Which;
        dead.Record!["id"].Should().Be(2L);
        dead.Reason.Should().StartWith("late record: event time 2026-03-01T10:06:30.0000000Z");
        dead.Position.Should().NotBeNull();
    }

    [Fact]
    public void Batch_layer_counts_late_records()
    {
        var aggregator = new WindowAggregator(Tumbling(), new AggregateSpec([], [new MeasureSpec("n", AggregateFunction.Count, null)]), enforceLateness: false);
        var context = new TransformContext();
        aggregator.Add(Batch(NewOrder(1, ts: At(10))), context);
        aggregator.Add(Batch(NewOrder(2, ts: At(1))), context);
        aggregator.Drain().Records.Should().HaveCount(2);
        context.DeadLetters.Should().BeEmpty();
    }

    [Fact]
    public void Bad_measures_and_event_times_are_rejected_at_bind()
    {
        new WindowAggregator(Tumbling(), new AggregateSpec([], [new MeasureSpec("s", AggregateFunction.Sum, "customer")]), true)
            .Invoking(a => a.Bind(Order)).Should().Throw<TransformException>().WithMessage("*sum needs a number but 'customer' is string*");
        new WindowAggregator(Tumbling() with { TimeExpression = "customer" }, AllMeasures, true)
            .Invoking(a => a.Bind(Order)).Should().Throw<TransformException>().WithMessage("*event time 'customer' is string, not a timestamp*");
    }
}
