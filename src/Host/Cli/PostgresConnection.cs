using System.CommandLine;
using Npgsql;
using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>
/// The <c>--postgres</c> option shared by the serving commands, falling back to
/// <c>Streams:Postgres:ConnectionString</c> from appsettings.json or <c>STREAMS__POSTGRES__CONNECTIONSTRING</c>.
/// </summary>
internal static class PostgresConnection
{
    /// <summary>Creates the option.</summary>
    public static Option<string?> CreateOption() => new("--postgres")
    {
        Description = "PostgreSQL connection string (default: Streams:Postgres:ConnectionString from appsettings.json or STREAMS__POSTGRES__CONNECTIONSTRING).",
    };

    /// <summary>The data source for the option's value or the configured connection string; throws with the fix when neither is set.</summary>
    public static NpgsqlDataSource Open(ParseResult result, Option<string?> option)
    {
        var connectionString = result.GetValue(option);
        return NpgsqlDataSource.Create(string.IsNullOrWhiteSpace(connectionString)
            ? Require(StreamsConfiguration.LoadOptions())
            : connectionString);
    }

    /// <summary>The configured connection string; throws with the ways to set one when it is empty.</summary>
    public static string Require(StreamsOptions options) =>
        string.IsNullOrWhiteSpace(options.Postgres.ConnectionString)
            ? throw new InvalidOperationException(
                "No PostgreSQL connection: pass --postgres \"Host=...;Database=...;Username=...\" where the command takes it, " +
                "set Streams:Postgres:ConnectionString (STREAMS__POSTGRES__CONNECTIONSTRING), or run the command in the directory " +
                "where `streams dev` runs.")
            : options.Postgres.ConnectionString;
}
