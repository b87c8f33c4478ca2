using System.Text.Json;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines.Files;
using Streams.Pipelines.Specs;

namespace Streams.Pipelines.Tests;

public sealed class PipelineFileRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-run-").FullName;

    private const string SchemaJson = """
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [
          {"name": "id", "type": "long"},
          {"name": "customer", "type": "string"},
          {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
          {"name": "qty", "type": ["int", "string"]},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
          {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"}, {"name": "n", "type": "int"}]}}}
        ]}
        """;

    private const string Input = """
        {"id": 1, "customer": "ann", "amount": "10.50", "qty": 2, "ts": "2026-03-01T10:00:05Z", "lines": [{"sku": "a", "n": 1}, {"sku": "b", "n": 2}]}
        {"id": 2, "customer": "bob", "amount": "3.25", "qty": "3", "ts": "2026-03-01T10:00:40Z", "lines": []}
        {"id": 3, "customer": "ann", "amount": "1.00", "qty": "many", "ts": "2026-03-01T10:01:10Z", "lines": [{"sku": "c", "n": 5}]}
        {"id": 4, "customer": "cy", "amount": "7.00", "qty": 1, "ts": "2026-03-01T10:01:50Z", "lines": []}
        """;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> InputFileAsync()
    {
        var path = Path.Combine(_directory, "orders.jsonl");
        await File.WriteAllTextAsync(path, Input);
        return path;
    }

    private static async Task<List<GenericRecord>> ReadAllAsync(string path, Schema? schema = null)
    {
        await using var reader = await RecordFiles.OpenReaderAsync(path, new RecordFileOptions { Schema = schema });
        var records = new List<GenericRecord>();
        while (await reader.ReadBatchAsync() is { } batch)
        {
            records.AddRange(batch.Cast<GenericRecord>());
        }

        return records;
    }

    [Fact]
    public async Task A_run_that_does_not_complete_leaves_no_output_files_and_one_that_does_renames_them_into_place()
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse("""{"type":"record","name":"R","fields":[{"name":"id","type":"long"}]}""");
        var batch = new RecordBatch(schema, [new GenericRecord(schema, [1L])]);
        var step = new Execution.PipelineStep(new PipelineResult(batch, new Dictionary<string, IReadOnlyList<RecordBatch>>(),
            [new DeadLetter(null, null, "source", "bad")]), [], Execution.PipelineStateChanges.None, schema, null, IsFinal: false);
        var output = Path.Combine(_directory, "failed", "out.avro");

        await using (var failed = new Execution.FileSink(output))
        {
            await failed.WriteAsync(step, CancellationToken.None);
        }

        Directory.GetFiles(Path.GetDirectoryName(output)!).Should().BeEmpty("a run that fails before completing leaves neither output nor temporary files");

        await using (var completed = new Execution.FileSink(output))
        {
            await completed.WriteAsync(step, CancellationToken.None);
            await completed.CompleteAsync(step with { Result = step.Result with { Output = new RecordBatch(schema, []), DeadLetters = [] }, IsFinal = true },
                CancellationToken.None);
        }

        Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName).Should().BeEquivalentTo(["out.avro", "out.dead-letters.jsonl"]);
        (await ReadAllAsync(output)).Select(r => r["id"]).Should().Equal(1L);
    }

    [Fact]
    public async Task A_malformed_input_line_goes_to_the_dead_letters_and_the_run_goes_on()
    {
        var spec = PipelineSpecLoader.Parse("name: copy\nsource: { batch: { path: orders/ } }\ntransforms:\n  - select_fields: [id, customer]");
        var lines = Input.Split('\n');
        var input = Path.Combine(_directory, "bad.jsonl");
        await File.WriteAllTextAsync(input, string.Join('\n', lines[0], lines[1].Replace("\"id\": 2", "\"id\": \"x\""), lines[2], lines[3], "{not json"));
        var output = Path.Combine(_directory, "copy.jsonl");

        var summary = await PipelineFileRunner.RunAsync(new PipelineRunner(spec, PipelineMode.Batch), input, output, AvroSchemaParser.Parse(SchemaJson));

        summary.RecordsWritten.Should().Be(3, "the good rows after a bad one are still read");
        (await ReadAllAsync(output, AvroSchemaParser.Parse("""{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"customer","type":"string"}]}""")))
            .Select(r => r["id"]).Should().Equal(1L, 3L, 4L);
        summary.DeadLetters.Should().Be(2);
        var dead = (await File.ReadAllLinesAsync(summary.DeadLetterPath!)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        dead.Select(d => d.GetProperty("transform").GetString()).Should().Equal("source", "source");
        dead[0].GetProperty("reason").GetString().Should().Contain("bad.jsonl").And.Contain("line 2").And.Contain("id");
        dead[1].GetProperty("reason").GetString().Should().Contain("line 5").And.Contain("not valid JSON");
        dead[0].GetProperty("position").GetProperty("source").GetString().Should().EndWith("bad.jsonl");
    }

    [Fact]
    public async Task Runs_transforms_over_a_file_with_child_outputs_and_dead_letters()
    {
        var spec = PipelineSpecLoader.Parse("""
            name: clean_orders
            source: { batch: { path: orders/ } }
            transforms:
              - resolve_choice: { field: qty, action: cast, type: int }
              - derive: { total: amount * qty }
              - relationalize: { name: orders, keys: [id] }
            """);
        var output = Path.Combine(_directory, "out", "clean.avro");
        var summary = await PipelineFileRunner.RunAsync(new PipelineRunner(spec, PipelineMode.Batch), await InputFileAsync(), output, AvroSchemaParser.Parse(SchemaJson));

        summary.RecordsRead.Should().Be(4);
        summary.RecordsWritten.Should().Be(3);
        var rows = await ReadAllAsync(output);
        rows.Select(r => (r["id"], r["qty"], r["total"])).Should().Equal((1L, 2, DecimalValue.Parse("21.00")), (2L, 3, DecimalValue.Parse("9.75")), (4L, 1, DecimalValue.Parse("7.00")));
        var (childPath, childRows) = summary.Children["orders_lines"];
        childRows.Should().Be(2);
        (await ReadAllAsync(childPath)).Select(r => (r["id"], r["index"], r["sku"])).Should().Equal((1L, 0, "a"), (1L, 1, "b"));

        summary.DeadLetters.Should().Be(1);
        var dead = JsonDocument.Parse((await File.ReadAllLinesAsync(summary.DeadLetterPath!)).Single()).RootElement;
        dead.GetProperty("transform").GetString().Should().Be("transforms[0] (resolve_choice)");
        dead.GetProperty("reason").GetString().Should().StartWith("Cannot cast \"many\" (String) to int");
        dead.GetProperty("position").GetProperty("offset").GetInt64().Should().Be(2);
        dead.GetProperty("position").GetProperty("source").GetString().Should().EndWith("orders.jsonl");
        dead.GetProperty("record").GetProperty("id").GetInt64().Should().Be(3);
    }

    [Fact]
    public async Task Windowed_aggregate_over_a_file_emits_each_window_once()
    {
        var spec = PipelineSpecLoader.Parse("""
            name: per_minute
            source: { batch: { path: orders/ } }
            transforms:
              - resolve_choice: { field: qty, action: project, type: int }
            window: { type: tumbling, time: ts, size: 1m }
            aggregate:
              measures: { orders: count(), revenue: sum(amount), avg_qty: avg(qty), customers: count_distinct(customer) }
            """);
        var output = Path.Combine(_directory, "per_minute.jsonl");
        var summary = await PipelineFileRunner.RunAsync(new PipelineRunner(spec, PipelineMode.Batch), await InputFileAsync(), output, AvroSchemaParser.Parse(SchemaJson));

        summary.DeadLetterPath.Should().BeNull();
        var runner = new PipelineRunner(spec, PipelineMode.Batch);
        var schema = runner.OutputSchema((RecordSchema)AvroSchemaParser.Parse(SchemaJson));
        var rows = await ReadAllAsync(output, schema);
        rows.Select(r => (r["orders"], r["revenue"], r["avg_qty"], r["customers"])).Should().Equal(
            (2L, DecimalValue.Parse("13.75"), 2.5, 2L), (2L, DecimalValue.Parse("8.00"), 1.0, 2L));
    }

    [Fact]
    public async Task The_documented_json_spec_runs()
    {
        var spec = PipelineSpecLoader.Parse("""
            {
              "name": "clean_orders",
              "source": {"batch": {"path": "orders/", "format": "jsonl"}, "schema": "orders.avsc"},
              "transforms": [
                {"resolve_choice": {"field": "qty", "action": "cast", "type": "int"}},
                {"apply_mapping": [["id", "order_id"], ["qty", "quantity"], ["ts", "ts"], ["lines", "lines"],
                                   {"from": "amount", "to": "money.amount", "type": "decimal(10,2)"}]},
                {"relationalize": {"name": "orders", "keys": ["order_id"]}}
              ],
              "sinks": [{"serving": "clean_orders", "keys": ["order_id"], "time": "ts"}]
            }
            """);
        var runner = new PipelineRunner(spec, PipelineMode.Batch);
        var output = Path.Combine(_directory, "clean.jsonl");
        var summary = await PipelineFileRunner.RunAsync(runner, await InputFileAsync(), output, AvroSchemaParser.Parse(SchemaJson));
        summary.RecordsWritten.Should().Be(3);
        summary.Children["orders_lines"].Rows.Should().Be(2);
        var definition = runner.ServingDefinition(spec.Sinks[0], (RecordSchema)AvroSchemaParser.Parse(SchemaJson));
        definition.Schema.Fields.Select(f => f.Name).Should().Equal("order_id", "quantity", "ts", "money_amount");
        definition.Keys.Should().Equal("order_id", "ts");
    }
}
