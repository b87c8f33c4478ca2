using System.CommandLine;
using Streams.Serving;
using Streams.Serving.Query;

namespace Streams.Host.Cli;

/// <summary><c>streams query "SQL"</c>: read-only SQL over the serving views, as a table, JSON or CSV.</summary>
public static class QueryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "One read-only SQL statement over the serving schema, e.g. \"SELECT * FROM page_views LIMIT 10\"." };
        var format = new Option<string>("--format") { Description = "Output format: table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var limit = new Option<int>("--limit") { Description = "Return at most this many rows.", DefaultValueFactory = _ => 10_000 };
        var timeout = new Option<double>("--timeout") { Description = "Statement timeout in seconds.", DefaultValueFactory = _ => 30 };
        var postgres = PostgresConnection.CreateOption();
        var command = new Command("query", "Run read-only SQL against the serving views (merged batch + speed) through the read-only role.")
        {
            sql, format, limit, timeout, postgres,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            try
            {
                await using var admin = PostgresConnection.Open(result, postgres);
                await ServingMigrations.EnsureAppliedAsync(admin, cancellationToken);
                await using var query = await ServingQuery.CreateAsync(admin,
                    new QueryOptions { RowLimit = result.GetValue(limit), Timeout = TimeSpan.FromSeconds(result.GetValue(timeout)) }, cancellationToken);
                var rows = await query.ExecuteAsync(result.GetValue(sql)!, cancellationToken);
                await Console.Out.WriteAsync(QueryResultFormatter.Format(rows, result.GetValue(format)!));
                return 0;
            }
            catch (Exception e) when (e is QueryRefusedException or InvalidOperationException or ServingException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"streams query: {CliMessages.Of(e)}");
                return 1;
            }
        });
        return command;
    }
}
