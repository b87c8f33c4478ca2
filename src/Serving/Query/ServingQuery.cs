using System.Globalization;
using Npgsql;

namespace Streams.Serving.Query;

/// <summary>
/// Runs user SQL against the serving schema as the database's read-only role: a login of its own (so
/// no <c>SET ROLE</c> can be undone from the query), in a read-only transaction with
/// <c>search_path = serving</c>, a statement timeout and a row limit.
/// </summary>
public sealed class ServingQuery : IAsyncDisposable
{
    private readonly NpgsqlDataSource _reader;
    private readonly QueryOptions _options;

    private ServingQuery(NpgsqlDataSource reader, QueryOptions options)
    {
        _reader = reader;
        _options = options;
    }

    /// <summary>Creates the query service, reading the reader role's credentials through <paramref name="adminDataSource"/>.</summary>
    public static async Task<ServingQuery> CreateAsync(NpgsqlDataSource adminDataSource, QueryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var connectionString = await ServingMigrations.ReaderConnectionStringAsync(adminDataSource, cancellationToken);
        return new ServingQuery(NpgsqlDataSource.Create(connectionString), options ?? new QueryOptions());
    }

    /// <summary>Runs one read-only statement and returns at most the row limit of rows.</summary>
    /// <exception cref="QueryRefusedException">Several statements, a write, DDL, access outside the serving schema, the timeout, or an SQL error.</exception>
    public async Task<QueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        var statement = SqlStatementGuard.SingleStatement(sql);
        await using var connection = await _reader.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var timeout = ((long)_options.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await ServingMigrations.ExecuteAsync(connection,
            $"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {timeout}; SET LOCAL search_path = {ServingMigrations.Schema}",
            cancellationToken);
        try
        {
            // A batch command with a parameterless text goes out as one extended-protocol Parse, which
            // PostgreSQL rejects if it holds more than one statement.
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(statement) } };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToList();
            var rows = new List<object?[]>();
            var truncated = false;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (rows.Count == _options.RowLimit)
                {
                    truncated = true;
                    break;
                }

                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(values);
            }

            return new QueryResult(columns, rows, truncated);
        }
        catch (PostgresException e)
        {
            var reason = e.SqlState switch
            {
                PostgresErrorCodes.QueryCanceled => $"The query was cancelled after the {_options.Timeout.TotalSeconds:0.###} s statement timeout.",
                PostgresErrorCodes.ReadOnlySqlTransaction => $"The query path is read-only: {e.MessageText}.",
                PostgresErrorCodes.InsufficientPrivilege => $"Permission denied (only the serving schema can be read): {e.MessageText}.",
                _ => $"The query failed: {e.MessageText} (SQLSTATE {e.SqlState}{(e.Position > 0 ? $", at position {e.Position}" : "")}).",
            };
            throw new QueryRefusedException(reason, e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
