using Npgsql;
using Streams.Formats.Model;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;
using Streams.Serving;
using Streams.Streaming.DeadLetters;

namespace Streams.Streaming.MicroBatches;

/// <summary>
/// The state store of one source partition's driver: in ONE PostgreSQL transaction per micro-batch, the
/// serving rows, window and deduplicate state (<see cref="ServingSpeedSink"/>), this partition's position,
/// and every dead letter of the batch (schema rejections and transform failures, with their raw bytes) in
/// <see cref="KafkaDeadLetterTable"/>; the dead letters go to the dead-letter topic first.
/// </summary>
/// <remarks>
/// Positions: the driver hands a sink every committed position it loaded, but a partition's driver only
/// knows its own partition's current one, so only that one is written: others are owned by other tasks and
/// processes. The transaction also fences: under a lock on the partition it checks that the stored position
/// is still the one this sink loaded or last wrote; if another process has written the partition since
/// (this one was presumed dead and its partition reassigned), nothing is written and
/// <see cref="PartitionMovedException"/> stops the process, so no micro-batch is applied twice.
/// </remarks>
internal sealed class PartitionServingSink(
    NpgsqlDataSource dataSource,
    ServingSpeedSink serving,
    string topic,
    int partition,
    KafkaDeadLetterTable deadLetterTable,
    DeadLetterTopic deadLetterTopic) : IPipelineStateStore
{
    /// <summary>How often a micro-batch is tried when PostgreSQL aborts it for a deadlock or serialization failure.</summary>
    private const int MaxAttempts = 5;

    private IReadOnlyList<KafkaRecord> _records = [];
    private IReadOnlyList<KafkaDeadLetter> _rejected = [];
    private long? _committed;

    /// <summary>The main output rows of the last step written.</summary>
    public int LastRows { get; private set; }

    /// <summary>The dead letters of the last step written.</summary>
    public int LastDeadLetters { get; private set; }

    /// <summary>The next offset committed for the partition, or null before any.</summary>
    public long? Committed => _committed;

    /// <summary>Starts a micro-batch: its raw records (for the bytes of transform dead letters) and the records the schema rejected.</summary>
    public void Begin(IReadOnlyList<KafkaRecord> records, IReadOnlyList<KafkaDeadLetter> rejected)
    {
        _records = records;
        _rejected = rejected;
        LastRows = 0;
        LastDeadLetters = 0;
    }

    public bool Accepts(string output) => output is SinkSpec.Main or SinkSpec.DeadLetters;

    public async Task<PipelineState> LoadStateAsync(CancellationToken cancellationToken)
    {
        var state = await serving.LoadStateAsync(cancellationToken);
        var mine = Mine(state.Positions);
        _committed = mine.Count == 1 ? mine[0].Offset : null;
        return state with { Positions = mine };
    }

    public async Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        var deadLetters = DeadLettersOf(_records, _rejected, step.Result, topic, partition);
        await deadLetterTopic.SendAsync([.. deadLetters.Select(d => d.Dead)], cancellationToken);
        await serving.EnsureOutputAsync(cancellationToken);
        var positions = Mine(step.Positions);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await FenceAsync(connection, transaction, cancellationToken);
                await deadLetterTable.WriteAsync(connection, transaction, deadLetters, cancellationToken);
                await serving.WriteAsync(connection, transaction, step with { Positions = positions }, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                break;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                              && attempt < MaxAttempts)
            {
                // PostgreSQL rolled the whole transaction back: nothing of it is stored, so it is written again.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }

        if (positions.Count == 1)
        {
            _committed = positions[0].Offset;
        }

        LastRows = step.Result.Output.Count;
        LastDeadLetters = deadLetters.Count;
    }

    public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken) => WriteAsync(step, cancellationToken);

    public ValueTask DisposeAsync() => serving.DisposeAsync();

    private async Task FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Two statements: the second's snapshot is taken after the lock is held, so it sees the last writer's commit.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext($1))")
                {
                    Parameters = { new NpgsqlParameter { Value = $"{serving.Output.Name}/{topic}/{partition}" } },
                },
                new NpgsqlBatchCommand($"SELECT \"offset\" FROM {ServingMigrations.Schema}.positions WHERE output = $1 AND source = $2 AND partition = $3")
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = serving.Output.Name },
                        new NpgsqlParameter { Value = topic },
                        new NpgsqlParameter { Value = partition },
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        long? stored = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
        if (stored != _committed)
        {
            throw new PartitionMovedException(
                $"{topic}[{partition}] of output '{serving.Output.Name}' was written by another process: PostgreSQL holds position {stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, " +
                $"this process expected {_committed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}. " +
                "The partition was reassigned while this process was stalled; it stops without writing, and a restart resumes from PostgreSQL.");
        }
    }

    /// <summary>
    /// A micro-batch's dead letters: the records the schema rejected, then the transform failures with the raw
    /// record each names by position (<paramref name="records"/> are one partition's, in offset order).
    /// </summary>
    internal static List<(KafkaDeadLetter Dead, string? RecordJson)> DeadLettersOf(IReadOnlyList<KafkaRecord> records, IReadOnlyList<KafkaDeadLetter> rejected,
        Pipelines.PipelineResult result, string topic, int partition)
    {
        var deadLetters = new List<(KafkaDeadLetter Dead, string? RecordJson)>(rejected.Count + result.DeadLetters.Count);
        deadLetters.AddRange(rejected.Select(r => (r, (string?)null)));
        foreach (var failed in result.DeadLetters)
        {
            var raw = failed.Position is { } p ? RawAt(records, p.Offset) : null;
            if (raw is null)
            {
                throw new PipelineExecutionException(
                    $"A transform dead letter names position {failed.Position?.ToString() ?? "(none)"}, which is not in the micro-batch of {topic}[{partition}]: {failed.Reason}");
            }

            deadLetters.Add((new KafkaDeadLetter(raw, raw.SchemaId, failed.Transform, failed.Reason), DeadLetterJson.Record(failed)));
        }

        return deadLetters;
    }

    private static KafkaRecord? RawAt(IReadOnlyList<KafkaRecord> records, long offset)
    {
        // The micro-batch is in offset order: binary search.
        int low = 0, high = records.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var at = records[middle].Offset;
            if (at == offset)
            {
                return records[middle];
            }

            if (at < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return null;
    }

    private List<SourcePosition> Mine(IReadOnlyList<SourcePosition> positions) =>
        [.. positions.Where(p => p.Source == topic && p.Partition == partition)];
}
