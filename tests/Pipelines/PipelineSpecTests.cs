using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;
using Streams.Pipelines.Windows;

namespace Streams.Pipelines.Tests;

public sealed class PipelineSpecTests
{
    internal const string Example = """
        name: orders_per_minute
        source:
          kafka: { topic: orders }
          batch: { path: orders/, format: avro }
        transforms:
          - filter: status = 'paid'
          - derive:
              total: amount * quantity
              big: total > 20
          - drop_fields: [day]
          - rename_field: { from: customer, to: client }
        window:
          type: tumbling
          time: ts
          size: 1m
          watermark_delay: 10s
          allowed_lateness: 5m
        aggregate:
          group_by: [client]
          measures:
            orders: count()
            revenue: sum(total)
            big_orders: count(CASE WHEN big THEN 1 END)
            buyers: count_distinct(address.city)
        sinks:
          - serving: orders_per_minute
        """;

    [Fact]
    public void Parses_the_documented_example()
    {
        var spec = PipelineSpecLoader.Parse(Example, "orders.yaml");
        spec.Name.Should().Be("orders_per_minute");
        spec.Source.Kafka.Should().Be(new KafkaSourceSpec("orders", "orders-value"));
        spec.Source.Batch.Should().Be(new BatchSourceSpec(null, "orders/", "avro"));
        spec.Transforms.Select(t => t.Kind).Should().Equal("filter", "derive", "derive", "drop_fields", "rename_field");
        spec.Transforms.Select(t => t.Label).Should().Equal("transforms[0] (filter)", "transforms[1] (derive) total", "transforms[1] (derive) big",
            "transforms[2] (drop_fields)", "transforms[3] (rename_field)");
        spec.Window.Should().Be(new WindowSpec(WindowKind.Tumbling, "ts", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
        spec.Aggregate!.Measures.Should().Equal(
            new MeasureSpec("orders", AggregateFunction.Count, null),
            new MeasureSpec("revenue", AggregateFunction.Sum, "total"),
            new MeasureSpec("big_orders", AggregateFunction.Count, "CASE WHEN big THEN 1 END"),
            new MeasureSpec("buyers", AggregateFunction.CountDistinct, "address.city"));
        spec.Sinks.Should().ContainSingle().Which.Should().BeEquivalentTo(new SinkSpec("main", "orders_per_minute", [], null) { Origin = "orders.yaml line 26, column 5, sinks[0]" });
    }

    [Fact]
    public void Micro_batch_bounds_default_to_5000_records_or_100ms_and_can_be_set()
    {
        var defaults = PipelineSpecLoader.Parse("name: x\nsource: {kafka: {topic: t}}").Source.Kafka!;
        (defaults.MaxBatchRecords, defaults.MaxBatchInterval).Should().Be((5000, TimeSpan.FromMilliseconds(100)));
        var set = PipelineSpecLoader.Parse("name: x\nsource: {kafka: {topic: t, max_batch_records: 20000, max_batch_interval: 1s}}").Source.Kafka!;
        (set.MaxBatchRecords, set.MaxBatchInterval).Should().Be((20000, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Json_specs_parse_too()
    {
        var spec = PipelineSpecLoader.Parse("""
            {"name": "j", "source": {"batch": {"table": "lake.orders"}},
             "transforms": [{"apply_mapping": [["id", "order_id", "string"], {"from": "customer"}]}, {"resolve_choice": {"field": "price", "action": "make_cols"}},
                            {"join": {"table": "serving.customers", "on": {"customer": "id"}, "columns": ["country"], "type": "inner"}},
                            {"relationalize": {"name": "o", "keys": ["order_id"]}}, "flatten", "drop_null_fields", {"deduplicate": {"keys": ["order_id"]}}],
             "sinks": [{"serving": "orders", "keys": ["order_id"], "time": "ts"}]}
            """);
        var mapping = spec.Transforms[0].Should().BeOfType<ApplyMappingTransform>().Which;
        mapping.Mappings.Should().Equal(new FieldMapping("id", "order_id", "string"), new FieldMapping("customer", "customer"));
        spec.Transforms.Select(t => t.Kind).Should().Equal("apply_mapping", "resolve_choice", "join", "relationalize", "flatten", "drop_null_fields", "deduplicate");
        spec.Transforms[2].Should().BeOfType<JoinTransform>().Which.Inner.Should().BeTrue();
        spec.Sinks[0].Should().BeEquivalentTo(new SinkSpec("main", "orders", ["order_id"], "ts") { Origin = "pipeline line 5, column 12, sinks[0]" });
    }

    [Fact]
    public void A_batch_source_takes_a_partition_predicate_and_a_bookmark_option()
    {
        var spec = PipelineSpecLoader.Parse("name: b\nsource: {batch: {path: orders/, where: \"dt >= '2026-11-01'\", bookmarks: enable}}", "b.yaml");
        spec.Source.Batch.Should().Be(new BatchSourceSpec(null, "orders/", null, "dt >= '2026-11-01'", BatchSourceSpec.BookmarksEnable));
        PipelineSpecLoader.Parse("name: b\nsource: {batch: {path: orders/}}", "b.yaml").Source.Batch!.Bookmarks.Should().Be(BatchSourceSpec.BookmarksDisable);
    }

    [Theory]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\ntransforms:\n  - filter: amount >", "orders.yaml line 4, column 13, transforms[0].filter: Expected a value but the expression ended at position 9 in expression 'amount >' (column 'filter').")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\ntransforms:\n  - derive: { total: 'a +* b' }", "orders.yaml line 4, column 22, transforms[0].derive.total: Expected a value but found '*' at position 4 in expression 'a +* b' (column 'total').")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\ntransforms:\n  - explode: {}", "orders.yaml line 4, column 5, transforms[0]: unknown transform 'explode'*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\nwindow: {type: tumbling, time: ts, size: 1m}", "orders.yaml line 1, column 1: 'window' and 'aggregate' go together*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\nwindow: {type: sliding, time: ts, size: 1m}\naggregate: {measures: {n: count()}}", "orders.yaml line 3, column 16, window.type: unknown window type 'sliding'*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\nwindow: {type: tumbling, time: ts, size: soon}\naggregate: {measures: {n: count()}}", "orders.yaml line 3, column 42, window.size: 'soon' is not a duration*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\nwindow: {type: tumbling, time: ts, size: 1m}\naggregate: {measures: {n: median(x)}}", "orders.yaml line 4, column 27, aggregate.measures.n: unknown aggregate 'median'*")]
    [InlineData("name: x\nsource: {}", "orders.yaml line 2, column 9, source: name at least one source*")]
    [InlineData("name: x\nsource: {kafka: {topic: t, max_batch_records: 0}}", "orders.yaml line 2, column 47, source.kafka.max_batch_records: expected a whole number of records, at least 1*")]
    [InlineData("name: x\nsource: {kafka: {topic: t, max_batch_interval: 5ms}}", "orders.yaml line 2, column 48, source.kafka.max_batch_interval: a micro-batch interval is at least 10ms*")]
    [InlineData("name: x\nsource: {batch: {path: p, bookmarks: on}}", "orders.yaml line 2, column 38, source.batch.bookmarks: unknown bookmark option 'on'; use enable, disable or pause*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\nsinks: [{serving: a}, {serving: a}]", "orders.yaml line 1, column 1: two sinks write serving output 'a'.")]
    [InlineData("name: X-1\nsource: {kafka: {topic: t}}", "orders.yaml line 1, column 7, name: pipeline name 'X-1' must be*")]
    [InlineData("name: x\nsourc: {}", "orders.yaml line 1, column 1: unknown key 'sourc'; allowed: name, source*")]
    [InlineData("name: x\nsource: [unclosed", "orders.yaml line 3, column 1: While parsing a flow sequence*")]
    [InlineData("name: x\nsource: {kafka: {topic: t}}\n? [a]\n: b", "orders.yaml line 3, column 3: a key must be a plain name, not a list or mapping.")]
    public void Errors_name_file_line_and_key_path(string yaml, string message)
    {
        var act = () => PipelineSpecLoader.Parse(yaml, "orders.yaml");
        act.Should().Throw<PipelineSpecException>().WithMessage(message);
    }

    [Fact]
    public void An_unknown_field_in_a_filter_is_refused_before_any_record_with_the_spec_path_and_the_fields()
    {
        var spec = PipelineSpecLoader.Parse("name: x\nsource: {kafka: {topic: t}}\ntransforms:\n  - filter: nosuchfield > 1", "orders.yaml");
        var act = () => new PipelineRunner(spec, PipelineMode.Batch).Validate(TestRecords.Order);
        act.Should().Throw<PipelineSpecException>().WithMessage(
            "orders.yaml line 4, column 13, transforms[0].filter: Unknown field 'nosuchfield'; the input has fields id, customer, amount, quantity, price, status, ts, day, address (in 'nosuchfield > 1', at character 1).");
    }

    [Theory]
    [InlineData("{serving: o, time: when}", "orders.yaml line 3, column 9, sinks[0].time: the output has no column 'when'; its columns are id, customer*")]
    [InlineData("{serving: o, time: ts, keys: [id, nokey]}", "orders.yaml line 3, column 9, sinks[0].keys: the output has no column 'nokey'*")]
    [InlineData("{output: main, keys: [customer_id]}", "orders.yaml line 3, column 9, sinks[0].keys: the output has no column 'customer_id'*")]
    public async Task A_sink_naming_a_column_the_output_lacks_is_refused_before_any_record(string sink, string message)
    {
        var spec = PipelineSpecLoader.Parse($"name: x\nsource: {{kafka: {{topic: t}}}}\nsinks: [{sink}]", "orders.yaml");
        var runner = new PipelineRunner(spec, PipelineMode.Batch);
        var act = () => runner.Validate(TestRecords.Order);
        act.Should().Throw<PipelineSpecException>().WithMessage(message);
        var process = () => runner.ProcessAsync(TestRecords.Batch(TestRecords.NewOrder(1)));
        await process.Should().ThrowAsync<PipelineSpecException>("the first batch validates too");
    }
}
