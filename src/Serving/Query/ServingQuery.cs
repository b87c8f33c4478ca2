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
    private const int ClientTimeoutGraceSeconds = 5;

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
            // The client-side command timeout must not race the statement timeout: it only backs up a server
            // that stops answering, so it fires a grace period after PostgreSQL would have cancelled the query.
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands = { new NpgsqlBatchCommand(statement) },
                Timeout = (int)Math.Ceiling(_options.Timeout.TotalSeconds) + ClientTimeoutGraceSeconds,
            };
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

            if (truncated)
            {
                // Stop the server from streaming the rest of a large result only to be discarded.
                batch.Cancel();
                try
                {
                    await reader.DisposeAsync();
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
                {
                    // Expected: the cancellation above ended the statement; the rows read are the result.
                }
            }

            return new QueryResult(columns, rows, truncated);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new QueryRefusedException(TimeoutMessage, e);
        }
        catch (PostgresException e)
        {
            var reason = e.SqlState switch
            {
                PostgresErrorCodes.QueryCanceled => TimeoutMessage,
                PostgresErrorCodes.ReadOnlySqlTransaction => $"The query path is read-only: {e.MessageText}.",
                PostgresErrorCodes.InsufficientPrivilege => $"Permission denied (only the serving schema can be read): {e.MessageText}.",
                _ => $"The query failed: {e.MessageText} (SQLSTATE {e.SqlState}{(e.Position > 0 ? $", at position {e.Position}" : "")}).",
            };
            throw new QueryRefusedException(reason, e);
        }
    }

    private string TimeoutMessage =>
        string.Create(CultureInfo.InvariantCulture, $"The query was cancelled after the {_options.Timeout.TotalSeconds:0.###} s statement timeout.");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
