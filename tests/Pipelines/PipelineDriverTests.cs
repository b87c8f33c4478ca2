using System.Text.Json;
using Npgsql;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Files;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Testing;
using static Streams.Pipelines.Tests.TestRecords;

namespace Streams.Pipelines.Tests;

/// <summary>The execution seam against real PostgreSQL: one driver for <c>streams run</c> and the serving writes, and restarts.</summary>
public sealed class PipelineDriverTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streams-driver-").FullName;

    private const string SchemaJson = """
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [
          {"name": "id", "type": "long"},
          {"name": "customer", "type": "string"},
          {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
          {"name": "qty", "type": ["int", "string"]},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}}
        ]}
        """;

    private const string Input = """
        {"id": 1, "customer": "ann", "amount": "10.50", "qty": 2, "ts": "2026-03-01T10:00:05Z"}
        {"id": 2, "customer": "bob", "amount": "3.25", "qty": "3", "ts": "2026-03-01T10:00:40Z"}
        {"id": 3, "customer": "ann", "amount": "1.00", "qty": "many", "ts": "2026-03-01T10:01:10Z"}
        {"id": 4, "customer": "cy", "amount": "7.00", "qty": 1, "ts": "2026-03-01T10:01:50Z"}
        """;

    private const string CleanSpec = """
        name: clean_orders
        source: { kafka: { topic: orders }, batch: { path: orders/ } }
        transforms:
          - resolve_choice: { field: qty, action: cast, type: int }
          - derive: { total: amount * qty }
        sinks:
          - { serving: clean_orders, keys: [id], time: ts }
        """;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Streams_run_and_a_serving_speed_write_go_through_the_same_driver_and_sinks()
    {
        await using var db = await ServingDatabase.CreateAsync();
        var input = Path.Combine(_directory, "orders.jsonl");
        await File.WriteAllTextAsync(input, Input);
        var schema = AvroSchemaParser.Parse(SchemaJson);
        var spec = PipelineSpecLoader.Parse(CleanSpec);

        // What `streams run` does (RunCommand calls PipelineFileRunner): driver + file source + file sink.
        var runOutput = Path.Combine(_directory, "run", "clean.avro");
        var run = await PipelineFileRunner.RunAsync(new PipelineRunner(spec, PipelineMode.Batch), input, runOutput, schema);

        // The speed layer's serving write on the same driver, beside the same file sink.
        var runner = new PipelineRunner(spec, PipelineMode.Speed);
        var definition = runner.ServingDefinition(spec.Sinks[0], (RecordSchema)schema);
        var both = Path.Combine(_directory, "both", "clean.avro");
        await using var files = new FileSink(both);
        var serving = new ServingSpeedSink(db.DataSource, definition, deadLetterPipeline: spec.Name);
        var driver = new PipelineDriver(runner, [files, serving]);
        await driver.RunAsync(new RecordFileSource(input, schema));

        run.RecordsWritten.Should().Be(3);
        var expected = (await ReadFileAsync(runOutput)).Select(r => $"{r["id"]}|{r["qty"]}|{r["total"]}").ToList();
        expected.Should().Equal("1|2|21.00", "2|3|9.75", "4|1|7.00");
        (await ReadFileAsync(both)).Select(r => $"{r["id"]}|{r["qty"]}|{r["total"]}").Should().Equal(expected);
        (await db.RowsAsync("SELECT id, qty, total FROM serving.clean_orders ORDER BY id")).Should().Equal(expected);
        (await new ServingStore(db.DataSource).ReadPositionsAsync("clean_orders")).Should().Equal(SourcePosition.InFile(input, 4));

        // One dead letter, the same in the file and in the table.
        var fileDead = JsonDocument.Parse((await File.ReadAllLinesAsync(files.DeadLetterPath)).Single()).RootElement;
        fileDead.GetProperty("transform").GetString().Should().Be("transforms[0] (resolve_choice)");
        fileDead.GetProperty("record").GetProperty("amount").GetString().Should().Be("1.00", "decimals render as strings (RecordJson), losslessly");
        (await db.RowsAsync("SELECT transform, source, partition, \"offset\", record->>'id', jsonb_typeof(record->'amount'), record->>'amount' FROM serving.dead_letters"))
            .Should().Equal($"transforms[0] (resolve_choice)|{input}|-1|2|3|string|1.00");

        // A restart resumes after the committed bookmark: nothing is read or written twice.
        var again = new PipelineDriver(new PipelineRunner(spec, PipelineMode.Speed), [new ServingSpeedSink(db.DataSource, definition, deadLetterPipeline: spec.Name)]);
        await again.RunAsync(new RecordFileSource(input, schema));
        again.RecordsRead.Should().Be(0);
        (await db.RowsAsync("SELECT count(*) FROM serving.dead_letters")).Should().Equal("1");
    }

    [Fact]
    public async Task A_restarted_driver_keeps_lateness_and_seen_keys_and_skips_committed_batches()
    {
        await using var db = await ServingDatabase.CreateAsync();
        var spec = PipelineSpecLoader.Parse("""
            name: unique_per_minute
            source: { kafka: { topic: orders } }
            transforms:
              - deduplicate: { keys: [id] }
            window: { type: tumbling, time: ts, size: 1m }
            aggregate:
              group_by: [customer]
              measures: { orders: count() }
            sinks:
              - serving: unique_per_minute
            """);
        SourceBatch Micro(long next, params GenericRecord[] records) =>
            new(Batch(records), [new SourcePosition("orders", 0, next)]);
        var a = Micro(2, NewOrder(1, ts: At(0, 10)), NewOrder(2, ts: At(0, 20)));
        var b = Micro(3, NewOrder(3, ts: At(5)));
        var c = Micro(6, NewOrder(1, ts: At(5, 30)), NewOrder(4, ts: At(1, 30)), NewOrder(5, ts: At(5, 40)));

        async Task<PipelineDriver> StartAsync()
        {
            var runner = new PipelineRunner(spec, PipelineMode.Speed);
            var driver = new PipelineDriver(runner, [new ServingSpeedSink(db.DataSource, runner.ServingDefinition(spec.Sinks[0], Order), deadLetterPipeline: spec.Name)]);
            await driver.StartAsync();
            return driver;
        }

        var first = await StartAsync();
        (await first.ProcessAsync(a)).Should().BeTrue();
        (await first.ProcessAsync(b)).Should().BeTrue();

        // A new process: new runner and driver, state from PostgreSQL; the source replays b.
        var second = await StartAsync();
        second.Committed.Should().Equal(new SourcePosition("orders", 0, 3));
        (await second.ProcessAsync(b)).Should().BeFalse("b's offsets are committed");
        (await second.ProcessAsync(c)).Should().BeTrue();

        (await db.RowsAsync("SELECT customer, window_start, orders FROM serving.unique_per_minute_speed ORDER BY window_start"))
            .Should().Equal($"c1|{At(0):O}|2", $"c1|{At(5):O}|2");
        (await db.RowsAsync("SELECT source, \"offset\", record->>'id', left(reason, 12) FROM serving.dead_letters"))
            .Should().Equal("orders|101|4|late record:");
        (await new ServingStore(db.DataSource).ReadPositionAsync("unique_per_minute", "orders", 0)).Should().Be(new SourcePosition("orders", 0, 6));
    }

    [Fact]
    public async Task An_output_without_a_sink_fails_the_step_and_commits_nothing()
    {
        await using var db = await ServingDatabase.CreateAsync();
        var spec = PipelineSpecLoader.Parse("""
            name: casts
            source: { kafka: { topic: orders } }
            transforms:
              - resolve_choice: { field: status, action: cast, type: int }
            sinks:
              - { serving: casts, keys: [id], time: ts }
            """);
        var runner = new PipelineRunner(spec, PipelineMode.Speed);
        var driver = new PipelineDriver(runner, [new ServingSpeedSink(db.DataSource, runner.ServingDefinition(spec.Sinks[0], Order))]);
        var batch = new SourceBatch(Batch(NewOrder(1, quantity: 2)), [new SourcePosition("orders", 0, 1)]);

        (await driver.Invoking(d => d.ProcessAsync(batch)).Should().ThrowAsync<PipelineExecutionException>())
            .WithMessage("Pipeline 'casts': 1 rows of output 'dead_letters' have no sink*");
        (await new ServingStore(db.DataSource).ReadPositionsAsync("casts")).Should().BeEmpty();
        (await driver.Invoking(d => d.ProcessAsync(batch)).Should().ThrowAsync<PipelineExecutionException>())
            .WithMessage("*an earlier step failed*");
    }

    private static async Task<List<GenericRecord>> ReadFileAsync(string path)
    {
        await using var reader = await RecordFiles.OpenReaderAsync(path, new RecordFileOptions());
        var records = new List<GenericRecord>();
        while (await reader.ReadBatchAsync() is { } batch)
        {
            records.AddRange(batch.Cast<GenericRecord>());
        }

        return records;
    }

    /// <summary>A throwaway database with the serving migrations applied; drops the reader role they create.</summary>
    private sealed class ServingDatabase : IAsyncDisposable
    {
        private TestDatabase _db = null!;

        public NpgsqlDataSource DataSource { get; private set; } = null!;

        public static async Task<ServingDatabase> CreateAsync()
        {
            var db = new ServingDatabase { _db = await TestPostgres.CreateDatabaseAsync() };
            db.DataSource = NpgsqlDataSource.Create(db._db.ConnectionString);
            await ServingMigrations.ApplyAsync(db.DataSource);
            return db;
        }

        public async Task<List<string>> RowsAsync(string sql)
        {
            await using var command = DataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
                {
                    DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O"),
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                })));
            }

            return rows;
        }

        public async ValueTask DisposeAsync()
        {
            await DataSource.DisposeAsync();
            await _db.DisposeAsync();
            await using var server = NpgsqlDataSource.Create(TestPostgres.ServerConnectionString);
            await using var drop = server.CreateCommand($"DROP ROLE IF EXISTS \"{ServingMigrations.ReaderRoleName(_db.Name)}\"");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
