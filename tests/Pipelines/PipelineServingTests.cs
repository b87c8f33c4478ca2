using Npgsql;
using Streams.Formats.Model;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;
using Streams.Pipelines.Transforms;
using Streams.Serving;
using Streams.Testing;
using static Streams.Pipelines.Tests.TestRecords;

namespace Streams.Pipelines.Tests;

/// <summary>Pipelines against real PostgreSQL: join lookups, and speed vs batch layers writing one serving output.</summary>
public sealed class PipelineServingTests
{
    [Fact]
    public async Task Join_enriches_from_a_postgres_table_loaded_per_batch()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var setup = dataSource.CreateCommand("""
            CREATE TABLE customers (id text PRIMARY KEY, country text, credit numeric(8,2), since date);
            INSERT INTO customers VALUES ('c1', 'NO', 100.50, '2020-01-02'), ('c2', 'SE', NULL, NULL);
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var join = new JoinTransform("public.customers", "customer", "id", ["country", "credit", "since"], "customer_");
        var bound = (await join.PrepareAsync(new PipelineEnvironment(dataSource), default)).Bind(Order);
        bound.Output.Fields.Skip(Order.Fields.Count).Select(f => f.ToString()).Should().Equal(
            "customer_country: union<null, string>", "customer_credit: union<null, bytes (decimal)>", "customer_since: union<null, int (date)>");
        var output = await bound.ApplyAsync(Batch(NewOrder(1, customer: "c1"), NewOrder(2, customer: "c2"), NewOrder(3, customer: "c9")), new TransformContext(), default);
        output.Records.Select(r => (r["customer_country"], r["customer_credit"], r["customer_since"])).Should().Equal(
            ("NO", DecimalValue.Parse("100.50"), new DateOnly(2020, 1, 2)), ("SE", null, null), (null, null, null));

        var inner = new JoinTransform("customers", "customer", "id", ["country"], inner: true);
        (await (await inner.PrepareAsync(new PipelineEnvironment(dataSource), default)).Bind(Order).ApplyAsync(Batch(NewOrder(1, customer: "c9"), NewOrder(2, customer: "c2")), new TransformContext(), default))
            .Records.Select(r => r["id"]).Should().Equal(2L);

        var missing = new JoinTransform("nope", "customer", "id");
        (await missing.Invoking(j => j.PrepareAsync(new PipelineEnvironment(dataSource), default)).Should().ThrowAsync<TransformException>())
            .WithMessage("join: table 'nope' does not exist*");
        var wrongColumn = new JoinTransform("customers", "customer", "idx");
        var preparedWrongColumn = await wrongColumn.PrepareAsync(new PipelineEnvironment(dataSource), default);
        preparedWrongColumn.Invoking(j => j.Bind(Order)).Should().Throw<TransformException>()
            .WithMessage("join: table 'customers' has no column 'idx'; it has id, country, credit, since");
        wrongColumn.Invoking(j => j.Bind(Order)).Should().Throw<TransformException>()
            .WithMessage("join: the lookup table was not loaded*", "preparing returns a prepared copy and leaves the spec's transform as it was");
    }

    [Fact]
    public async Task Speed_and_batch_layers_compute_the_same_serving_rows_from_one_spec()
    {
        var db = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await SpeedAndBatchAsync(db);
        }
        finally
        {
            // The serving migrations create a cluster-wide reader role for the database: drop both.
            await db.DisposeAsync();
            await using var server = NpgsqlDataSource.Create(TestPostgres.ServerConnectionString);
            await using var drop = server.CreateCommand($"DROP ROLE IF EXISTS \"{ServingMigrations.ReaderRoleName(db.Name)}\"");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task SpeedAndBatchAsync(TestDatabase db)
    {
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await ServingMigrations.ApplyAsync(dataSource);
        var store = new ServingStore(dataSource);
        var spec = PipelineSpecLoader.Parse(PipelineSpecTests.Example);
        var records = Enumerable.Range(0, 40).Select(i => NewOrder(i, customer: $"c{i % 3}", amount: 1.25m * (i % 5), quantity: 1 + (i % 4),
            status: i % 7 == 0 ? "refunded" : "paid", ts: At(i / 10, i * 7 % 60), city: $"city{i % 4}")).ToList();

        // Speed layer: micro-batches of 7, each written with its offsets in one transaction.
        var speed = new PipelineRunner(spec, PipelineMode.Speed);
        var definition = speed.ServingDefinition(spec.Sinks[0], Order);
        await store.EnsureOutputAsync(definition);
        var speedDriver = new PipelineDriver(speed, [new ServingSpeedSink(dataSource, definition)]);
        foreach (var chunk in records.Chunk(7))
        {
            var batch = new RecordBatch(Order, chunk, [.. chunk.Select(r => (SourcePosition?)new SourcePosition("orders", 0, (long)r["id"]!))]);
            (await speedDriver.ProcessAsync(new SourceBatch(batch, [new SourcePosition("orders", 0, (long)chunk[^1]["id"]! + 1)]))).Should().BeTrue();
        }

        var speedRows = await ReadAsync(dataSource, "orders_per_minute_speed");

        // Batch layer: the same records in one pass, swapped in with a watermark inside the data.
        var steps = new StepRecorder();
        await using var batchSink = new ServingBatchSink(dataSource, definition, watermark: At(2));
        var batchDriver = new PipelineDriver(new PipelineRunner(spec, PipelineMode.Batch), [batchSink, steps]);
        await batchDriver.RunAsync(new BatchSource(new SourceBatch(new RecordBatch(Order, records), [SourcePosition.InFile("orders/part-0.avro", 40)])));
        steps.Steps.Where(s => !s.IsFinal).SelectMany(s => s.Result.Output.Records).Should().BeEmpty();
        batchSink.Generation.Should().Be(1);

        var batchRows = await ReadAsync(dataSource, "orders_per_minute_batch");
        speedRows.Should().NotBeEmpty();
        (await ReadTypedAsync(dataSource, "orders_per_minute_batch")).Should().Equal(ExpectedAggregates(),
            "the aggregates computed here from the generator's formulas, not by the pipeline");
        batchRows.Should().Equal(speedRows, "both layers ran the same transforms over the same records");
        (await ReadAsync(dataSource, "orders_per_minute")).Should().Equal(speedRows);
        (await store.ReadPositionsAsync("orders_per_minute")).Should().Equal(new SourcePosition("orders", 0, 40), SourcePosition.InFile("orders/part-0.avro", 40));
        (await ReadAsync(dataSource, "orders_per_minute_speed")).Should().HaveCount(speedRows.Count(r => r.Contains("10:02", StringComparison.Ordinal) || r.Contains("10:03", StringComparison.Ordinal)));
    }

    /// <summary>Keeps the steps a driver hands its sinks, storing nothing.</summary>
    private sealed class StepRecorder : IPipelineSink
    {
        public List<PipelineStep> Steps { get; } = [];

        public bool Accepts(string output) => false;

        public Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
        {
            Steps.Add(step);
            return Task.CompletedTask;
        }

        public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken) => WriteAsync(step, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A source of given batches, for the batch layer's pull loop.</summary>
    private sealed class BatchSource(params SourceBatch[] batches) : IRecordBatchSource
    {
        public async IAsyncEnumerable<SourceBatch> ReadAsync(IReadOnlyList<SourcePosition> resume,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var batch in batches)
            {
                yield return batch;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// The orders_per_minute aggregates of the 40 generated orders, computed from the same formulas as the
    /// generator without any pipeline code: paid orders only, per client and minute, total = amount * quantity.
    /// </summary>
    private static List<(string Client, DateTime Window, long Orders, decimal Revenue, long BigOrders, long Buyers)> ExpectedAggregates() =>
        Enumerable.Range(0, 40)
            .Where(i => i % 7 != 0)
            .Select(i => (Client: $"c{i % 3}", Window: At(i / 10), Total: 1.25m * (i % 5) * (1 + (i % 4)), City: $"city{i % 4}"))
            .GroupBy(o => (o.Client, o.Window))
            .Select(g => (g.Key.Client, g.Key.Window, (long)g.Count(), g.Sum(o => o.Total), (long)g.Count(o => o.Total > 20), (long)g.Select(o => o.City).Distinct().Count()))
            .OrderBy(r => r.Item2).ThenBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();

    private static async Task<List<(string Client, DateTime Window, long Orders, decimal Revenue, long BigOrders, long Buyers)>> ReadTypedAsync(
        NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT client, window_start, orders, revenue, big_orders, buyers FROM serving.{table} ORDER BY window_start, client COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, long, decimal, long, long)>();
        while (await reader.ReadAsync())
        {
            var window = reader.GetDateTime(1);
            rows.Add((reader.GetString(0), window.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(window, DateTimeKind.Utc) : window.ToUniversalTime(), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToDecimal(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static async Task<List<string>> ReadAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT client, window_start, orders, revenue, big_orders, buyers FROM serving.{table} ORDER BY window_start, client");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
