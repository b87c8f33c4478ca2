using Npgsql;
using Streams.Serving;
using Streams.Serving.Query;
using Streams.Testing;
using static Streams.Serving.Tests.ServingTestData;

namespace Streams.Serving.Tests;

public sealed class ServingQueryTests : IClassFixture<ServingDatabaseFixture>
{
    private readonly ServingDatabaseFixture _fixture;

    public ServingQueryTests(ServingDatabaseFixture fixture) => _fixture = fixture;

    private async Task<(NpgsqlDataSource Admin, ServingQuery Query)> SetUpAsync(QueryOptions? options = null)
    {
        var admin = await MigratedAsync(_fixture.ConnectionString);
        var store = new ServingStore(admin);
        await store.EnsureOutputAsync(Output());
        if (await ScalarAsync(admin, "SELECT count(*) FROM serving.page_views") == 0)
        {
            await store.WriteSpeedAsync(Output(), [Row("home", 0, 3, 1.5m), Row("cart", 0, 4, 2.25m)], []);
        }

        await using (var secret = admin.CreateCommand("CREATE TABLE IF NOT EXISTS public.secret (x int); INSERT INTO public.secret VALUES (1)"))
        {
            await secret.ExecuteNonQueryAsync();
        }

        return (admin, await ServingQuery.CreateAsync(admin, options));
    }

    [Fact]
    public async Task Select_reads_the_serving_views_by_unqualified_name()
    {
        var (admin, query) = await SetUpAsync();
        await using var _ = admin;
        await using var __ = query;
        var result = await query.ExecuteAsync("SELECT page, views, revenue FROM page_views ORDER BY page;");
        result.Columns.Select(c => c.Name).Should().Equal("page", "views", "revenue");
        result.Rows.Should().HaveCount(2);
        result.Rows[0].Should().Equal("cart", 4L, 2.25m);

        QueryResultFormatter.Csv(result).Should().Be("page,views,revenue\r\ncart,4,2.25\r\nhome,3,1.50\r\n");
        QueryResultFormatter.Table(result).Should().Be(
            "page | views | revenue\n-----+-------+--------\ncart |     4 |    2.25\nhome |     3 |    1.50\n(2 rows)\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
        QueryResultFormatter.Json(result).Should().Contain("\"page\": \"cart\"").And.Contain("\"revenue\": 2.25");
    }

    [Fact]
    public async Task Row_limit_truncates()
    {
        var (admin, query) = await SetUpAsync(new QueryOptions { RowLimit = 1 });
        await using var _ = admin;
        await using var __ = query;
        var result = await query.ExecuteAsync("SELECT * FROM page_views");
        result.Rows.Should().HaveCount(1);
        result.Truncated.Should().BeTrue();

        // A large result is cut at the limit (the rest is cancelled, not streamed), and the pool stays usable.
        var large = await query.ExecuteAsync("SELECT 1 FROM pg_attribute a, pg_attribute b");
        large.Rows.Should().ContainSingle().Which.Should().Equal(1);
        large.Truncated.Should().BeTrue();
        (await query.ExecuteAsync("SELECT 42")).Rows.Should().ContainSingle().Which.Should().Equal(42);
    }

    [Theory]
    [InlineData("INSERT INTO page_views_speed (page, window_start, views) VALUES ('x', now(), 1)", "*read-only*")]
    [InlineData("UPDATE page_views_speed SET views = 0", "*read-only*")]
    [InlineData("DELETE FROM outputs", "*read-only*")]
    [InlineData("CREATE TABLE evil (x int)", "*read-only*")]
    [InlineData("DROP VIEW page_views", "*read-only*")]
    [InlineData("SELECT 1; DROP VIEW page_views", "Only one SQL statement*")]
    [InlineData("SELECT 1; SELECT 2", "Only one SQL statement*")]
    [InlineData("SELECT * FROM public.secret", "Permission denied*")]
    [InlineData("SELECT * FROM serving_admin.reader", "Permission denied*")]
    [InlineData("SELECT pg_read_file('/etc/passwd')", "Permission denied*")]
    [InlineData("SELECT set_config('default_transaction_read_only', 'off', false)", "*")]
    public async Task Writes_ddl_multiple_statements_and_other_schemas_are_refused(string sql, string message)
    {
        var (admin, query) = await SetUpAsync();
        await using var _ = admin;
        await using var __ = query;
        var act = () => query.ExecuteAsync(sql);
        if (sql.StartsWith("SELECT set_config", StringComparison.Ordinal))
        {
            // Allowed, but harmless: the next query still runs in a read-only transaction.
            await act();
            await query.Invoking(q => q.ExecuteAsync("DELETE FROM page_views_speed")).Should().ThrowAsync<QueryRefusedException>();
        }
        else
        {
            (await act.Should().ThrowAsync<QueryRefusedException>()).WithMessage(message);
        }

        (await ScalarAsync(admin, "SELECT count(*) FROM serving.page_views")).Should().Be(2);
    }

    [Fact]
    public async Task Semicolons_inside_literals_and_comments_are_one_statement()
    {
        SqlStatementGuard.SingleStatement("SELECT ';', \"a;b\", $$;$$, $t$;$t$ -- ;\n /* ; */ ;  ").Should()
            .Be("SELECT ';', \"a;b\", $$;$$, $t$;$t$ -- ;\n /* ; */");
        var (admin, query) = await SetUpAsync();
        await using var _ = admin;
        await using var __ = query;
        (await query.ExecuteAsync("SELECT ';' AS s -- trailing; comment")).Rows.Should().ContainSingle().Which.Should().Equal(";");
    }

    [Fact]
    public async Task Long_query_is_cancelled_by_the_statement_timeout()
    {
        var (admin, query) = await SetUpAsync(new QueryOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        await using var _ = admin;
        await using var __ = query;
        (await query.Invoking(q => q.ExecuteAsync("SELECT pg_sleep(10)")).Should().ThrowAsync<QueryRefusedException>())
            .WithMessage("*cancelled after the 0.3 s statement timeout*");
    }

    [Fact]
    public async Task A_shorter_client_command_timeout_does_not_race_the_statement_timeout()
    {
        // Command Timeout = 1 s would fire before the 2 s statement timeout and escape as an NpgsqlException.
        var impatient = new NpgsqlConnectionStringBuilder(_fixture.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        var (migrated, patient) = await SetUpAsync();
        await using var _ = migrated;
        await using var __ = patient;
        await using var admin = NpgsqlDataSource.Create(impatient);
        await using var query = await ServingQuery.CreateAsync(admin, new QueryOptions { Timeout = TimeSpan.FromSeconds(2) });

        (await query.Invoking(q => q.ExecuteAsync("SELECT pg_sleep(10)")).Should().ThrowAsync<QueryRefusedException>())
            .WithMessage("The query was cancelled after the 2 s statement timeout.");
    }
}
