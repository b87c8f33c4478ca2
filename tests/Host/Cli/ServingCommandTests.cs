using Npgsql;
using Streams.Formats.Model;
using Streams.Serving;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary><c>streams query</c>, <c>streams views</c> and <c>streams run</c> run as processes against real PostgreSQL.</summary>
public sealed class ServingCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private string _directory = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _directory = Directory.CreateTempSubdirectory("serving-cli").FullName;
        await using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await ServingMigrations.ApplyAsync(dataSource);
        var schema = new RecordSchema(new SchemaName("clicks", null),
        [
            new Field("page", PrimitiveSchema.String),
            new Field("window_start", new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros)),
            new Field("views", PrimitiveSchema.Long),
        ]);
        var output = new ServingOutputDefinition("clicks", schema, ["page", "window_start"], "window_start",
            new Dictionary<string, ColumnMerge> { ["views"] = ColumnMerge.Add });
        var store = new ServingStore(dataSource);
        await store.EnsureOutputAsync(output);
        var minute = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await store.WriteSpeedAsync(output, [new GenericRecord(schema, ["home, main", minute, 3L]), new GenericRecord(schema, ["cart", minute, 12L])],
            [new SourcePosition("clicks", 0, 2)]);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await using var server = NpgsqlDataSource.Create(TestPostgres.ServerConnectionString);
        await using var drop = server.CreateCommand($"DROP ROLE IF EXISTS \"{ServingMigrations.ReaderRoleName(_database.Name)}\"");
        await drop.ExecuteNonQueryAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<string> StreamsAsync(params string[] arguments) =>
        ExternalTool.RunAsync(Path.Combine(AppContext.BaseDirectory, "streams"), [.. arguments, "--postgres", _database.ConnectionString],
            timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Query_prints_a_table_csv_or_json_and_refuses_writes()
    {
        var table = await StreamsAsync("query", "SELECT page, views FROM clicks ORDER BY views");
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "page       | views", "-----------+------", "home, main |     3", "cart       |    12", "(2 rows)");
        (await StreamsAsync("query", "SELECT page, views FROM clicks ORDER BY views", "--format", "csv"))
            .Should().Be("page,views\r\n\"home, main\",3\r\ncart,12\r\n");
        (await StreamsAsync("query", "SELECT sum(views) AS total FROM clicks", "--format", "json")).Should().Contain("\"total\": 15");

        var refused = await FluentActions.Awaiting(() => StreamsAsync("query", "DELETE FROM clicks_speed")).Should().ThrowAsync<InvalidOperationException>();
        refused.Which.Message.Should().Contain("exited with 1").And.Contain("streams query: The query path is read-only");
    }

    [Fact]
    public async Task Views_lists_watermarks_and_row_counts()
    {
        var views = await StreamsAsync("views");
        views.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2].Should().MatchRegex(@"^clicks \|\s+\|\s+2 \|\s+0 \|\s+2 \|$");
    }

    [Fact]
    public async Task Run_executes_a_pipeline_over_a_json_lines_file()
    {
        var schema = Path.Combine(_directory, "orders.avsc");
        await File.WriteAllTextAsync(schema, """
            {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}, {"name": "qty", "type": ["int", "string"]}]}
            """);
        var spec = Path.Combine(_directory, "pipeline.yaml");
        await File.WriteAllTextAsync(spec, """
            name: clean
            source: { batch: { path: orders/ }, schema: orders.avsc }
            transforms:
              - resolve_choice: { field: qty, action: cast, type: int }
              - derive: { double_qty: qty * 2 }
            """);
        var input = Path.Combine(_directory, "orders.jsonl");
        await File.WriteAllTextAsync(input, "{\"id\": 1, \"qty\": 2}\n{\"id\": 2, \"qty\": \"x\"}\n{\"id\": 3, \"qty\": \"4\"}\n");
        var output = Path.Combine(_directory, "out", "clean.jsonl");

        var printed = await ExternalTool.RunAsync(Path.Combine(AppContext.BaseDirectory, "streams"), ["run", spec, "--input", input, "--output", output],
            timeout: TimeSpan.FromSeconds(30));

        printed.Should().Contain("3 records read, 2 rows written").And.Contain("1 dead letters written");
        (await File.ReadAllLinesAsync(output)).Should().Equal("{\"id\":1,\"qty\":2,\"double_qty\":4}", "{\"id\":3,\"qty\":4,\"double_qty\":8}");
        (await File.ReadAllTextAsync(Path.Combine(_directory, "out", "clean.dead-letters.jsonl"))).Should()
            .Contain("\"transform\":\"transforms[0] (resolve_choice)\"").And.Contain("\"offset\":1");
    }
}
