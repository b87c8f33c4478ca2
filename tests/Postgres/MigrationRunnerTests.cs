using Npgsql;
using Streams.Postgres;
using Streams.Testing;

namespace Streams.Postgres.Tests;

public sealed class MigrationRunnerTests
{
    private static readonly string[] TwoSteps =
    [
        "CREATE TABLE m.events (id integer PRIMARY KEY); INSERT INTO m.events VALUES (1);",
        "ALTER TABLE m.events ADD COLUMN name text; INSERT INTO m.events VALUES (2, 'two');",
    ];

    [Fact]
    public async Task Applies_each_step_once_and_records_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var set = new MigrationSet("m", TwoSteps);

        (await MigrationRunner.ApplyAsync(dataSource, set)).Should().Be(2);
        (await MigrationRunner.ApplyAsync(dataSource, set)).Should().Be(0, "a second apply finds every step recorded");

        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM m.events")).Should().Be(2);
        (await ScalarAsync<int>(dataSource, "SELECT max(version) FROM m.migrations")).Should().Be(2);
    }

    [Fact]
    public async Task A_step_appended_later_is_the_only_one_applied()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await MigrationRunner.ApplyAsync(dataSource, new MigrationSet("m", TwoSteps[..1]));

        (await MigrationRunner.ApplyAsync(dataSource, new MigrationSet("m", TwoSteps))).Should().Be(1);
        (await ScalarAsync<string>(dataSource, "SELECT name FROM m.events WHERE id = 2")).Should().Be("two");
    }

    [Fact]
    public async Task Concurrent_hosts_apply_each_step_exactly_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var set = new MigrationSet("m", TwoSteps);

        // Step 1's primary key makes a second application fail, so any race shows as an exception here.
        var applied = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => MigrationRunner.ApplyAsync(dataSource, set))));

        applied.Sum().Should().Be(2);
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM m.events")).Should().Be(2);
    }

    [Fact]
    public async Task A_failing_step_leaves_the_database_as_it_was()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await MigrationRunner.ApplyAsync(dataSource, new MigrationSet("m", TwoSteps[..1]));

        var broken = new MigrationSet("m", [TwoSteps[0], TwoSteps[1], "SELECT no_such_function();"]);
        var apply = () => MigrationRunner.ApplyAsync(dataSource, broken);

        await apply.Should().ThrowAsync<PostgresException>();
        (await ScalarAsync<int>(dataSource, "SELECT max(version) FROM m.migrations")).Should().Be(1);
        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'm' AND column_name = 'name'"))
            .Should().Be(0, "step 2 ran in the transaction step 3 rolled back");
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_refused_with_the_fix()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await MigrationRunner.ApplyAsync(dataSource, new MigrationSet("m", TwoSteps));

        var apply = () => MigrationRunner.ApplyAsync(dataSource, new MigrationSet("m", TwoSteps[..1]));

        (await apply.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("newer Streams build");
    }

    [Fact]
    public async Task Every_run_work_runs_on_each_apply_inside_the_lock()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var set = new MigrationSet("m", TwoSteps)
        {
            EveryRun = async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("INSERT INTO m.events (id) SELECT max(id) + 1 FROM m.events", connection);
                await command.ExecuteNonQueryAsync(ct);
            },
        };

        await MigrationRunner.ApplyAsync(dataSource, set);
        await MigrationRunner.ApplyAsync(dataSource, set);

        (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM m.events")).Should().Be(4);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
