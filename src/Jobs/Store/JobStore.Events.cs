using Npgsql;
using Streams.Catalog.Storage;

namespace Streams.Jobs.Store;

public sealed partial class JobStore
{
    /// <summary>Records the files an EVENT trigger sees that it had not seen (by path and entity tag), as seen at <paramref name="now"/>.</summary>
    internal async Task RecordEventFilesAsync(string triggerName, IReadOnlyList<LakeObject> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return;
        }

        await using var command = Command("""
            INSERT INTO jobs.event_files (trigger_name, path, etag, seen_on)
            SELECT $1, p, e, $4 FROM unnest($2::text[], $3::text[]) AS u(p, e)
            ON CONFLICT (trigger_name, path, etag) DO NOTHING
            """, triggerName, files.Select(f => f.Path).ToArray(), files.Select(f => f.ETag).ToArray(), now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The files an EVENT trigger has seen and no firing consumed yet, oldest first.</summary>
    internal async Task<IReadOnlyList<EventFile>> PendingEventFilesAsync(string triggerName, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT seq, path, seen_on FROM jobs.event_files WHERE trigger_name = $1 AND fired_key IS NULL ORDER BY seq", triggerName);
        return await ReadAsync(command, r => new EventFile(r.GetInt64(0), r.GetString(1), Time(r, 2)!.Value), cancellationToken);
    }

    /// <summary>In the firing's transaction, marks <paramref name="files"/> consumed by firing <paramref name="fireKey"/>.</summary>
    internal static async Task ConsumeEventFilesAsync(NpgsqlConnection connection, string triggerName, string fireKey, IReadOnlyList<EventFile> files,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            "UPDATE jobs.event_files SET fired_key = $2 WHERE trigger_name = $1 AND seq = ANY($3) AND fired_key IS NULL",
            triggerName, fireKey, files.Select(f => f.Sequence).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A new file an EVENT trigger saw.</summary>
internal sealed record EventFile(long Sequence, string Path, DateTimeOffset SeenOn);
