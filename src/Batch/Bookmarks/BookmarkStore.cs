using Npgsql;

namespace Streams.Batch.Bookmarks;

/// <summary>
/// Job bookmarks in PostgreSQL (<c>batch.bookmarks</c>): the files the last successful run covered, by bookmark key (the
/// pipeline's name for <c>streams backfill</c>, a job's own key for job runs; the column keeps its first name, <c>pipeline</c>).
/// </summary>
/// <param name="dataSource">The database with the batch schema (<see cref="BatchMigrations"/>).</param>
public sealed class BookmarkStore(NpgsqlDataSource dataSource)
{
    private const string Table = $"{BatchMigrations.Schema}.bookmarks";

    /// <summary>The bookmarked files of <paramref name="pipeline"/>, by path.</summary>
    public async Task<IReadOnlyDictionary<string, FileBookmark>> LoadAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT path, size, etag, modified, rows, min_time, max_time FROM {Table} WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bookmarks = new Dictionary<string, FileBookmark>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bookmark = new FileBookmark(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTime>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTime>(6));
            bookmarks[bookmark.Path] = bookmark;
        }

        return bookmarks;
    }

    /// <summary>
    /// In the caller's transaction (the batch swap's), makes <paramref name="files"/> the bookmark of
    /// <paramref name="pipeline"/>: read files are upserted, <paramref name="removed"/> ones deleted;
    /// with <paramref name="replaceAll"/> every other entry goes too (a full run).
    /// </summary>
    public static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string pipeline, Guid runId,
        IReadOnlyCollection<FileBookmark> files, IReadOnlyCollection<string> removed, bool replaceAll, CancellationToken cancellationToken = default)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        if (replaceAll)
        {
            batch.BatchCommands.Add(Command($"DELETE FROM {Table} WHERE pipeline = $1", pipeline));
        }
        else if (removed.Count > 0)
        {
            batch.BatchCommands.Add(Command($"DELETE FROM {Table} WHERE pipeline = $1 AND path = ANY($2)", pipeline, removed.ToArray()));
        }

        if (files.Count > 0)
        {
            batch.BatchCommands.Add(Command($"""
                INSERT INTO {Table} (pipeline, path, size, etag, modified, rows, min_time, max_time, run_id)
                SELECT $1, p, s, e, m, r, lo, hi, $9 FROM unnest($2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bigint[], $7::timestamptz[], $8::timestamptz[]) AS u(p, s, e, m, r, lo, hi)
                ON CONFLICT (pipeline, path) DO UPDATE SET size = excluded.size, etag = excluded.etag, modified = excluded.modified,
                    rows = excluded.rows, min_time = excluded.min_time, max_time = excluded.max_time, run_id = excluded.run_id
                """, pipeline,
                files.Select(f => f.Path).ToArray(), files.Select(f => f.Size).ToArray(), files.Select(f => f.ETag).ToArray(),
                files.Select(f => f.Modified).ToArray(), files.Select(f => f.Rows).ToArray(),
                files.Select(f => f.MinTime).ToArray(), files.Select(f => f.MaxTime).ToArray(), runId));
        }

        await using (batch)
        {
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>Forgets the bookmark of <paramref name="pipeline"/>: its next incremental run reads every file. Returns the entries removed.</summary>
    public async Task<int> ResetAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {Table} WHERE pipeline = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = pipeline });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Copies the bookmark of <paramref name="fromKey"/> to <paramref name="toKey"/> where that has none yet; returns the entries copied.</summary>
    public async Task<int> CopyAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Table} (pipeline, path, size, etag, modified, rows, min_time, max_time, run_id)
            SELECT $2, path, size, etag, modified, rows, min_time, max_time, run_id FROM {Table}
            WHERE pipeline = $1 AND NOT EXISTS (SELECT 1 FROM {Table} WHERE pipeline = $2)
            ON CONFLICT (pipeline, path) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = fromKey });
        command.Parameters.Add(new NpgsqlParameter { Value = toKey });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }
}
