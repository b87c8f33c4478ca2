using Npgsql;
using Streams.Formats.Model;
using Streams.Serving;
using Streams.Testing;
using static Streams.Serving.Tests.ServingTestData;

namespace Streams.Serving.Tests;

public sealed class MergedViewTests
{
    [Fact]
    public async Task Merged_view_holds_each_window_once_with_the_batch_value_before_the_watermark()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var output = Output();
        await store.EnsureOutputAsync(output);

        // Speed layer saw minutes 0..5 (values 100+m); the batch recomputed minutes 0..3 (values m).
        await store.WriteSpeedAsync(output, [.. Enumerable.Range(0, 6).Select(m => Row("home", m, 100 + m))],
            [new SourcePosition("clicks", 0, 42)]);
        (await ReadViewAsync(dataSource)).Select(r => r.Views).Should().Equal(100, 101, 102, 103, 104, 105);

        await store.SwapBatchAsync(output, Chunks([.. Enumerable.Range(0, 4).Select(m => Row("home", m, m))]), Minute(3),
            [SourcePosition.InFile("lake/clicks/part-0.avro", 1000)]);

        // Before the watermark (minute 3): the batch; from it on: the speed layer. Minute 3 exists in
        // both tables and appears once, from the speed table, because the watermark excludes it from batch.
        var rows = await ReadViewAsync(dataSource);
        rows.Select(r => r.Window).Should().Equal(Enumerable.Range(0, 6).Select(Minute));
        rows.Select(r => r.Views).Should().Equal(0, 1, 2, 103, 104, 105);
        (await ScalarAsync(dataSource, "SELECT count(*) FROM serving.page_views_speed")).Should().Be(3, "speed rows below the watermark are trimmed");

        var positions = await store.ReadPositionsAsync("page_views");
        positions.Should().Equal(new SourcePosition("clicks", 0, 42), SourcePosition.InFile("lake/clicks/part-0.avro", 1000));

        var views = await store.ListViewsAsync();
        views.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new ServingViewInfo("page_views", Minute(3), 6, 4, 3, null), o => o.Excluding(v => v.SwappedAt));
    }

    [Fact]
    public async Task Speed_writes_merge_aggregate_states_by_key_and_window()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var schema = new RecordSchema(new SchemaName("stats", null),
        [
            new Field("k", PrimitiveSchema.String),
            new Field("w", Timestamp),
            new Field("n", PrimitiveSchema.Long),
            new Field("lo", PrimitiveSchema.Double),
            new Field("hi", PrimitiveSchema.Double),
            new Field("avg", UnionSchema.Nullable(PrimitiveSchema.Double)),
            new Field("__avg_sum", PrimitiveSchema.Double),
            new Field("__avg_count", PrimitiveSchema.Long),
            new Field("users", PrimitiveSchema.Long),
            new Field("__users_set", new ArraySchema(PrimitiveSchema.String)),
            new Field("first", PrimitiveSchema.String),
            new Field("__first_at", Timestamp),
            new Field("last", PrimitiveSchema.String),
            new Field("__last_at", Timestamp),
        ]);
        var output = new ServingOutputDefinition("stats", schema, ["k", "w"], "w", new Dictionary<string, ColumnMerge>
        {
            ["n"] = ColumnMerge.Add, ["lo"] = ColumnMerge.Least, ["hi"] = ColumnMerge.Greatest,
            ["avg"] = new ColumnMerge.Ratio("__avg_sum", "__avg_count"), ["__avg_sum"] = ColumnMerge.Add, ["__avg_count"] = ColumnMerge.Add,
            ["users"] = new ColumnMerge.SetSize("__users_set"), ["__users_set"] = ColumnMerge.SetUnion,
            ["first"] = new ColumnMerge.Earliest("__first_at"), ["__first_at"] = ColumnMerge.Least,
            ["last"] = new ColumnMerge.Latest("__last_at"), ["__last_at"] = ColumnMerge.Greatest,
        });
        await store.EnsureOutputAsync(output);
        GenericRecord Part(long n, double lo, double hi, double sum, long count, string[] users, string first, int firstAt, string last, int lastAt) =>
            new(schema, ["a", Minute(0), n, lo, hi, sum / count, sum, count, (long)users.Length, users.Cast<object?>().ToList(),
                first, Minute(0).AddSeconds(firstAt), last, Minute(0).AddSeconds(lastAt)]);

        await store.WriteSpeedAsync(output, [Part(2, 1, 5, 6, 2, ["u1", "u2"], "x", 10, "y", 20)], []);
        await store.WriteSpeedAsync(output, [Part(3, 0.5, 4, 3, 3, ["u2", "u3"], "w", 5, "z", 15)], []);

        await using var command = dataSource.CreateCommand("SELECT n, lo, hi, avg, users, first, last FROM serving.stats");
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetInt64(0).Should().Be(5);
        reader.GetDouble(1).Should().Be(0.5);
        reader.GetDouble(2).Should().Be(5);
        reader.GetDouble(3).Should().Be(9.0 / 5);
        reader.GetInt64(4).Should().Be(3);
        reader.GetString(5).Should().Be("w");
        reader.GetString(6).Should().Be("y");
        (await reader.ReadAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task Swap_under_concurrent_queries_never_shows_a_half_state()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var output = Output();
        await store.EnsureOutputAsync(output);

        // Every state has 20 windows of 1 view each per page: a half-swapped state would count
        // windows twice (batch + speed) or miss some.
        const int Windows = 20;
        await store.WriteSpeedAsync(output, [.. Enumerable.Range(0, Windows).Select(m => Row("p", m, 1))], []);
        using var stop = new CancellationTokenSource();
        var observed = new List<(long Count, long Sum)>();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<(long, long)>();
            while (!stop.IsCancellationRequested)
            {
                await using var command = dataSource.CreateCommand("SELECT count(*), sum(views) FROM serving.page_views");
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                seen.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }

            return seen;
        })).ToList();

        for (var swap = 1; swap <= 8; swap++)
        {
            var upTo = swap * 2;
            await store.SwapBatchAsync(output, Chunks([.. Enumerable.Range(0, upTo).Select(m => Row("p", m, 1))]), Minute(upTo), []);
        }

        await stop.CancelAsync();
        foreach (var reader in readers)
        {
            observed.AddRange(await reader);
        }

        observed.Should().NotBeEmpty();
        observed.Should().OnlyContain(o => o.Count == Windows && o.Sum == Windows);
        (await ScalarAsync(dataSource, "SELECT count(*) FROM serving.page_views_batch")).Should().Be(16, "old generations are deleted");
    }

    [Fact]
    public async Task Watermark_cannot_move_backwards_and_outputs_must_keep_their_columns()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var output = Output();
        await store.EnsureOutputAsync(output);
        await store.EnsureOutputAsync(output);
        await store.SwapBatchAsync(output, Chunks(), Minute(10), []);

        var back = () => store.SwapBatchAsync(output, Chunks(), Minute(5), []);
        (await back.Should().ThrowAsync<ServingException>()).WithMessage("*before the current one*");

        var changed = new ServingOutputDefinition("page_views", new RecordSchema(new SchemaName("x", null),
            [new Field("page", PrimitiveSchema.String), new Field("window_start", Timestamp)]), ["page", "window_start"], "window_start");
        (await store.Invoking(s => s.EnsureOutputAsync(changed)).Should().ThrowAsync<ServingException>()).WithMessage("*exists with columns*");
    }

    [Fact]
    public async Task Output_without_a_key_appends_every_row_in_both_layers()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var output = new ServingOutputDefinition("page_log", ServingTestData.Schema, [], "window_start");
        await store.EnsureOutputAsync(output);

        // The same row twice and again in a second write: appends keep all three.
        await store.WriteSpeedAsync(output, [Row("home", 5, 1), Row("home", 5, 1)], [new SourcePosition("clicks", 0, 2)]);
        await store.WriteSpeedAsync(output, [Row("home", 5, 1), Row("cart", 6, 7)], [new SourcePosition("clicks", 0, 4)]);
        (await ReadViewAsync(dataSource, "page_log")).Select(r => (r.Page, r.Views)).Should().Equal(("cart", 7L), ("home", 1L), ("home", 1L), ("home", 1L));

        // Two swaps, each in two chunks: only the current generation is in the view.
        await store.SwapBatchAsync(output, Chunks([Row("home", 0, 10)], [Row("home", 0, 10), Row("home", 1, 11)]), Minute(2), []);
        await store.SwapBatchAsync(output, Chunks([Row("home", 0, 20)], [Row("home", 1, 21)]), Minute(3), []);
        (await ReadViewAsync(dataSource, "page_log")).Select(r => (r.Page, r.Window, r.Views)).Should().Equal(
            ("cart", Minute(6), 7L), ("home", Minute(0), 20L), ("home", Minute(1), 21L),
            ("home", Minute(5), 1L), ("home", Minute(5), 1L), ("home", Minute(5), 1L));
        (await ScalarAsync(dataSource, "SELECT count(DISTINCT _generation) FROM serving.page_log_batch")).Should().Be(1);
        (await store.ReadPositionsAsync("page_log")).Should().Equal(new SourcePosition("clicks", 0, 4));
    }

    [Fact]
    public async Task Appending_output_maps_model_types_to_postgres_types()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var store = new ServingStore(dataSource);
        var nested = new RecordSchema(new SchemaName("addr", null), [new Field("city", PrimitiveSchema.String)]);
        var schema = new RecordSchema(new SchemaName("events", null),
        [
            new Field("i", PrimitiveSchema.Int), new Field("l", PrimitiveSchema.Long),
            new Field("d", new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(10, 3))),
            new Field("ts", Timestamp), new Field("lts", new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros)),
            new Field("day", new PrimitiveSchema(SchemaType.Int, LogicalType.Date)),
            new Field("id", new PrimitiveSchema(SchemaType.String, LogicalType.Uuid)),
            new Field("b", PrimitiveSchema.Bytes), new Field("addr", nested),
            new Field("tags", new ArraySchema(PrimitiveSchema.String)), new Field("attrs", new MapSchema(PrimitiveSchema.Long)),
            new Field("opt", UnionSchema.Nullable(PrimitiveSchema.String)),
        ]);
        var output = new ServingOutputDefinition("events", schema, [], "ts");
        await store.EnsureOutputAsync(output);
        var id = Guid.NewGuid();
        await store.WriteSpeedAsync(output,
        [
            new GenericRecord(schema, [1, 2L, DecimalValue.Parse("1.250"), Minute(1), new DateTime(2026, 1, 1, 5, 0, 0), new DateOnly(2026, 2, 3), id,
                new byte[] { 1, 2 }, new GenericRecord(nested, ["Oslo"]), new List<object?> { "a", "b" },
                new Dictionary<string, object?> { ["x"] = 7L }, null]),
        ], []);

        await using var types = dataSource.CreateCommand(
            "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'serving' AND table_name = 'events_speed'");
        (await types.ExecuteScalarAsync()).Should().Be(
            "i:integer,l:bigint,d:numeric,ts:timestamp with time zone,lts:timestamp without time zone,day:date,id:uuid,b:bytea,addr:jsonb,tags:jsonb,attrs:jsonb,opt:text");
        await using var values = dataSource.CreateCommand("SELECT d::text, day, id, addr->>'city', tags->>1, (attrs->>'x')::int, opt IS NULL FROM serving.events");
        await using var reader = await values.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetString(0).Should().Be("1.250");
        reader.GetFieldValue<DateOnly>(1).Should().Be(new DateOnly(2026, 2, 3));
        reader.GetGuid(2).Should().Be(id);
        reader.GetString(3).Should().Be("Oslo");
        reader.GetString(4).Should().Be("b");
        reader.GetInt32(5).Should().Be(7);
        reader.GetBoolean(6).Should().BeTrue();
    }
}

public sealed class ServingCatalogTests
{
    [Fact]
    public async Task New_outputs_are_registered_in_the_data_catalog()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var dataSource = await MigratedAsync(db.ConnectionString);
        var catalog = new Streams.Catalog.Store.CatalogStore(dataSource, new Streams.Catalog.Store.SecretProtector(null));
        await catalog.MigrateAsync();
        await new ServingStore(dataSource, catalog).EnsureOutputAsync(Output());
        await new ServingStore(dataSource, catalog).EnsureOutputAsync(Output("other_views"));

        var table = await catalog.GetTableAsync("serving", "page_views");
        table.TableType.Should().Be("VIRTUAL_VIEW");
        table.StorageDescriptor!.Location.Should().Be("postgresql:serving.page_views");
        table.StorageDescriptor.Columns!.Select(c => $"{c.Name}:{c.Type}").Should().Equal("page:string", "window_start:timestamp", "views:bigint", "revenue:decimal(12,2)");
        table.Parameters!["serving.speed_table"].Should().Be("serving.page_views_speed");
        table.Parameters["serving.keys"].Should().Be("page,window_start");
        (await catalog.GetTableAsync("serving", "other_views")).Name.Should().Be("other_views");
    }
}
