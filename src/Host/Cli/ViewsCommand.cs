using System.CommandLine;
using Streams.Serving;
using Streams.Serving.Query;

namespace Streams.Host.Cli;

/// <summary><c>streams views</c>: the merged serving views with their batch watermarks and row counts.</summary>
public static class ViewsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "Output format: table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var postgres = PostgresConnection.CreateOption();
        var command = new Command("views", "List the merged serving views with their batch watermarks and row counts.") { format, postgres };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            try
            {
                await using var dataSource = PostgresConnection.Open(result, postgres);
                await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
                var views = await new ServingStore(dataSource).ListViewsAsync(cancellationToken);
                var table = new QueryResult(
                    [new("view", "text"), new("watermark", "timestamptz"), new("rows", "bigint"), new("batch_rows", "bigint"), new("speed_rows", "bigint"), new("swapped_at", "timestamptz")],
                    [.. views.Select(v => new object?[] { v.Name, v.Watermark, v.Rows, v.BatchRows, v.SpeedRows, v.SwappedAt })],
                    Truncated: false);
                await Console.Out.WriteAsync(QueryResultFormatter.Format(table, result.GetValue(format)!));
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or ServingException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"streams views: {CliMessages.Of(e)}");
                return 1;
            }
        });
        return command;
    }
}
