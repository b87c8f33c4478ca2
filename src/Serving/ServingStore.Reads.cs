using Npgsql;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>Reads of the write side: stored positions and the views with their counts.</summary>
public sealed partial class ServingStore
{
    /// <summary>The source positions stored for <paramref name="outputName"/>, ordered by source and partition.</summary>
    public async Task<IReadOnlyList<SourcePosition>> ReadPositionsAsync(string outputName, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT source, partition, \"offset\" FROM {ServingMigrations.Schema}.positions WHERE output = $1 ORDER BY source, partition");
        command.Parameters.Add(new NpgsqlParameter { Value = outputName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new List<SourcePosition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            positions.Add(new SourcePosition(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)));
        }

        return positions;
    }

    /// <summary>The stored position of one source partition (the next offset or row to read), or null when none is stored.</summary>
    public async Task<SourcePosition?> ReadPositionAsync(string outputName, string source, int partition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT \"offset\" FROM {ServingMigrations.Schema}.positions WHERE output = $1 AND source = $2 AND partition = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = outputName });
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        return await command.ExecuteScalarAsync(cancellationToken) is long offset ? new SourcePosition(source, partition, offset) : null;
    }

    /// <summary>Every merged view with its watermark and row counts.</summary>
    public async Task<IReadOnlyList<ServingViewInfo>> ListViewsAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<(string Name, DateTime Watermark, long Generation, DateTime? Swapped)>();
        await using (var command = dataSource.CreateCommand(
                         $"SELECT name, watermark, generation, swapped_at FROM {ServingMigrations.Schema}.outputs ORDER BY name"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add((reader.GetString(0),
                    reader.GetFieldValue<DateTime>(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3)));
            }
        }

        var views = new List<ServingViewInfo>();
        foreach (var (name, watermark, generation, swapped) in names)
        {
            var s = ServingMigrations.Schema;
            await using var count = dataSource.CreateCommand($"""
                SELECT (SELECT count(*) FROM {s}.{Q(name)}),
                       (SELECT count(*) FROM {s}.{Q(name + "_batch")} WHERE {GenerationColumn} = {generation}),
                       (SELECT count(*) FROM {s}.{Q(name + "_speed")})
                """);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            views.Add(new ServingViewInfo(name, watermark == DateTime.MinValue ? null : watermark,
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), swapped));
        }

        return views;
    }
}
