using System.Diagnostics;
using Npgsql;
using Streams.Batch.Bookmarks;
using Streams.Batch.Planning;
using Streams.Batch.Reading;
using Streams.Batch.Sources;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Formats;
using Streams.Formats.Avro;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Specs;
using Streams.Serving;

namespace Streams.Batch.Backfills;

/// <summary>
/// A full backfill shared by several hosts. The run's splits are rows of <c>batch.splits</c>; a host claims one
/// with <c>FOR UPDATE SKIP LOCKED</c> and holds that row lock while it reads the split, then stores the split's
/// partial result (its aggregate states, as an Avro container) and dead letters and marks it done in the same
/// transaction. A host that dies loses its connection, so its lock goes and another host takes the split over:
/// each split is done exactly once. When every split is done, one host merges the partial results into a new
/// batch generation (the serving upsert merges aggregate states, as it merges the speed layer's micro-batches)
/// and swaps it in with the watermark and the dead letters in one transaction.
/// </summary>
/// <param name="postgres">The serving and batch database, shared by the hosts.</param>
/// <param name="lake">The lake storage.</param>
/// <param name="catalog">The catalog store, for table sources.</param>
/// <param name="host">This host's name in <c>batch.splits.done_by</c>.</param>
public sealed class SharedBackfill(NpgsqlDataSource postgres, ILakeStorage lake, CatalogStore? catalog, string host)
{
    private const string Splits = $"{BatchMigrations.Schema}.splits";

    /// <summary>Plans a shared run of <paramref name="spec"/> and stores its splits; hosts then <see cref="WorkAsync">work</see> on it.</summary>
    public async Task<Guid> CreateAsync(PipelineSpec spec, BackfillOptions options, CancellationToken cancellationToken = default)
    {
        await ServingMigrations.ApplyAsync(postgres, cancellationToken);
        await BatchMigrations.ApplyAsync(postgres, cancellationToken);
        var (_, plan, _) = await PlanAsync(spec, options, cancellationToken);
        var id = Guid.NewGuid();
        await BackfillRuns.StartAsync(postgres, id, spec.Name, BackfillMode.Full, cancellationToken);
        await using var command = postgres.CreateCommand($"""
            INSERT INTO {Splits} (run_id, ordinal, split_id, path, first_row_group, row_groups, bytes, size, etag, modified, partition_values, format)
            SELECT $1, o, i, p, f, g, b, s, e, m, string_to_array(v, E'\x01'), fmt
            FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::bigint[], $8::bigint[], $9::text[], $10::timestamptz[], $11::text[], $12::text[])
                 AS u(o, i, p, f, g, b, s, e, m, v, fmt)
            """);
        var splits = plan.Splits;
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, splits.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.File.Path).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.FirstRowGroup).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.RowGroupCount).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.Bytes).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.File.Object.Size).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.File.Object.ETag).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.File.Object.LastModified).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => string.Join('\u0001', s.File.PartitionValues)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = splits.Select(s => s.File.Format?.Name).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Works on run <paramref name="runId"/>: claims and reads splits until none is left (taking over those of hosts that
    /// died), then, if no other host is finishing, swaps the result in. Returns the run's summary as this host saw it.
    /// </summary>
    public async Task<BackfillSummary> WorkAsync(PipelineSpec spec, Guid runId, BackfillOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var (source, plan, time) = await PlanAsync(spec, options, cancellationToken);
        var claimed = 0;
        long rows = 0;
        while (true)
        {
            var workers = Enumerable.Range(0, Math.Max(1, options.Parallelism)).Select(_ => Task.Run(async () =>
            {
                var (splits, read) = (0, 0L);
                while (await ClaimAndReadAsync(spec, runId, plan, time, options, cancellationToken) is { } r)
                {
                    splits++;
                    read += r;
                }

                return (splits, read);
            }, cancellationToken)).ToArray();
            foreach (var (splits, read) in await Task.WhenAll(workers))
            {
                claimed += splits;
                rows += read;
            }

            var (status, pending) = await StateAsync(runId, cancellationToken);
            if (status != "RUNNING")
            {
                return Summary(runId, status, source, claimed, rows, clock, null, null, 0, $"this host read {claimed} splits; the run was finished by another host");
            }

            if (pending == 0)
            {
                break;
            }

            // Other hosts hold the remaining splits: wait, and take over any whose host dies.
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return await FinishAsync(spec, runId, options, source, plan, claimed, rows, clock, cancellationToken);
    }

    private async Task<(ResolvedSource Source, BackfillPlan Plan, Pipelines.Expressions.CompiledExpression? Time)> PlanAsync(PipelineSpec spec,
        BackfillOptions options, CancellationToken cancellationToken)
    {
        var batch = spec.Source.Batch ?? throw new BatchSourceException($"Pipeline '{spec.Name}' has no batch source.");
        var sink = spec.Sinks.FirstOrDefault(s => s.Serving is not null && s.Output == SinkSpec.Main)
                   ?? throw new BatchSourceException($"Pipeline '{spec.Name}' has no serving sink of its main output.");
        var source = await new BatchSourceResolver(lake, catalog).ResolveAsync(batch, options.Where ?? batch.Where, cancellationToken);
        var plan = await new BackfillPlanner(lake, options.SplitBytes).PlanAsync(spec, source, source.Files, options.Schema, cancellationToken);
        return (source, plan, BackfillRunner.EventTime(spec, sink, plan.Layout.OutputSchema));
    }

    /// <summary>Claims one split, reads it and stores its partial result in the claim's transaction; null when no split is free.</summary>
    private async Task<long?> ClaimAndReadAsync(PipelineSpec spec, Guid runId, BackfillPlan plan, Pipelines.Expressions.CompiledExpression? time,
        BackfillOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        FileSplit split;
        int ordinal;
        await using (var claim = new NpgsqlCommand($"""
                         SELECT ordinal, path, first_row_group, row_groups, bytes, size, etag, modified, partition_values, format FROM {Splits}
                         WHERE run_id = $1 AND NOT done ORDER BY ordinal LIMIT 1 FOR UPDATE SKIP LOCKED
                         """, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = runId });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            ordinal = reader.GetInt32(0);
            var path = reader.GetString(1);
            var file = new LakeObject(path, reader.GetInt64(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7));
            var format = reader.IsDBNull(9) ? null : RecordFiles.Formats.FirstOrDefault(f => f.Name == reader.GetString(9));
            split = new FileSplit(new LakeFile(file, reader.GetFieldValue<string[]>(8), format),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4));
        }

        var runner = new PipelineRunner(spec, PipelineMode.Batch, new PipelineEnvironment(postgres));
        var collect = new CollectingSink();
        var one = plan with { Splits = [split] };
        var source = new BackfillSource(new ParallelSplitReader(new SplitReader(lake, plan.Layout, plan.Predicates, options.BatchSize,
            runner.ColumnarFields(plan.Layout.OutputSchema)), 1),
            new LocalSplitQueue([split]), one, time, null);
        await new PipelineDriver(runner, [collect]).RunAsync(source, cancellationToken);
        var statistics = source.Files.Values.SingleOrDefault();
        byte[] partial;
        var schema = runner.OutputSchema(plan.Layout.OutputSchema);
        using (var buffer = new MemoryStream())
        {
            await using (var writer = await AvroRecordFileFormat.Instance.OpenWriterAsync(buffer, schema, new RecordFileOptions { Codec = "deflate" }, cancellationToken))
            {
                foreach (var row in collect.Rows)
                {
                    await writer.WriteAsync(row, cancellationToken);
                }
            }

            partial = buffer.ToArray();
        }

        await using (var done = new NpgsqlCommand($"""
                         UPDATE {Splits} SET done = true, done_by = $3, done_at = now(), rows = $4, min_time = $5, max_time = $6, partial = $7
                         WHERE run_id = $1 AND ordinal = $2
                         """, connection, transaction))
        {
            done.Parameters.Add(new NpgsqlParameter { Value = runId });
            done.Parameters.Add(new NpgsqlParameter { Value = ordinal });
            done.Parameters.Add(new NpgsqlParameter { Value = host });
            done.Parameters.Add(new NpgsqlParameter { Value = source.Rows });
            done.Parameters.Add(new NpgsqlParameter { Value = (object?)statistics?.MinTime ?? DBNull.Value });
            done.Parameters.Add(new NpgsqlParameter { Value = (object?)statistics?.MaxTime ?? DBNull.Value });
            done.Parameters.Add(new NpgsqlParameter { Value = partial });
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        if (collect.DeadLetters.Count > 0)
        {
            await using var dead = new NpgsqlCommand($"""
                INSERT INTO {BatchMigrations.Schema}.split_dead_letters (run_id, ordinal, transform, reason, source, partition, "offset", record)
                SELECT $1, $2, t, r, s, p, o, j::jsonb FROM unnest($3::text[], $4::text[], $5::text[], $6::integer[], $7::bigint[], $8::text[]) AS u(t, r, s, p, o, j)
                """, connection, transaction);
            dead.Parameters.Add(new NpgsqlParameter { Value = runId });
            dead.Parameters.Add(new NpgsqlParameter { Value = ordinal });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(d => d.Transform).ToArray() });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(d => d.Reason).ToArray() });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(d => d.Position?.Source).ToArray() });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(d => d.Position?.Partition).ToArray() });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(d => d.Position?.Offset).ToArray() });
            dead.Parameters.Add(new NpgsqlParameter { Value = collect.DeadLetters.Select(DeadLetterJson.Record).ToArray() });
            await dead.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return source.Rows;
    }

    private async Task<(string Status, long Pending)> StateAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(
            $"SELECT r.status, (SELECT count(*) FROM {Splits} s WHERE s.run_id = r.id AND NOT s.done) FROM {BatchMigrations.Schema}.runs r WHERE r.id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.GetInt64(1))
            : throw new BatchSourceException($"There is no backfill run {runId}; start one with streams backfill PIPELINE --shared.");
    }

    private async Task<BackfillSummary> FinishAsync(PipelineSpec spec, Guid runId, BackfillOptions options, ResolvedSource source, BackfillPlan plan,
        int claimed, long rows, Stopwatch clock, CancellationToken cancellationToken)
    {
        // One host finishes: the others see the advisory lock taken and leave.
        await using var gate = await postgres.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext($1))", gate))
        {
            tryLock.Parameters.Add(new NpgsqlParameter { Value = "batch-run:" + runId });
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return Summary(runId, "RUNNING", source, claimed, rows, clock, null, null, 0, "another host is swapping the result in");
            }
        }

        var sinkSpec = spec.Sinks.First(s => s.Serving is not null && s.Output == SinkSpec.Main);
        var runner = new PipelineRunner(spec, PipelineMode.Batch);
        var output = runner.ServingDefinition(sinkSpec, plan.Layout.OutputSchema);
        var schema = runner.OutputSchema(plan.Layout.OutputSchema);
        long total = 0, deadLetters = 0;
        DateTime? maxTime = null;
        var positions = new List<SourcePosition>();
        await using (var count = postgres.CreateCommand($"""
                         SELECT sum(rows), max(max_time), (SELECT count(*) FROM {BatchMigrations.Schema}.split_dead_letters d WHERE d.run_id = $1)
                         FROM {Splits} WHERE run_id = $1
                         """))
        {
            count.Parameters.Add(new NpgsqlParameter { Value = runId });
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            total = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            maxTime = reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(1), DateTimeKind.Utc);
            deadLetters = reader.GetInt64(2);
        }

        if (options.MaxErrors is { } max && deadLetters > max)
        {
            await BackfillRuns.FailAsync(postgres, runId, $"{deadLetters} dead letters exceed --max-errors {max}");
            throw new BackfillFailedException($"{deadLetters} dead letters exceed --max-errors {max}; nothing was swapped in.");
        }

        var watermark = options.Watermark ?? (maxTime is { } m && spec.Window is { } w ? m - w.WatermarkDelay : maxTime);
        var written = 0L;
        var serving = new ServingBatchSink(postgres, output, watermark, deadLetterPipeline: null, catalog, beforeCommit: async (connection, transaction, ct) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Command($"""
                        INSERT INTO {ServingMigrations.Schema}.dead_letters (pipeline, transform, reason, source, partition, "offset", record)
                        SELECT $2, transform, reason, source, partition, "offset", record FROM {BatchMigrations.Schema}.split_dead_letters WHERE run_id = $1
                        """, runId, spec.Name),
                    Command($"UPDATE {Splits} SET partial = NULL WHERE run_id = $1", runId),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            await BackfillRuns.SucceedAsync(connection, transaction, runId, source.Files.Count, total, deadLetters, ct);
        });
        await using (serving)
        {
            var empty = new PipelineResult(new RecordBatch(schema, []), new Dictionary<string, IReadOnlyList<RecordBatch>>(), []);
            await using var partials = postgres.CreateCommand($"SELECT split_id, rows, partial FROM {Splits} WHERE run_id = $1 ORDER BY ordinal");
            partials.Parameters.Add(new NpgsqlParameter { Value = runId });
            await using var reader = await partials.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                positions.Add(SourcePosition.InFile(reader.GetString(0), reader.GetInt64(1)));
                var records = new List<GenericRecord>();
                await using (var avro = await AvroRecordFileFormat.Instance.OpenReaderAsync(new MemoryStream(reader.GetFieldValue<byte[]>(2)),
                                 new RecordFileOptions { Schema = schema, FileName = reader.GetString(0) }, cancellationToken))
                {
                    while (await avro.ReadBatchAsync(cancellationToken) is { } values)
                    {
                        records.AddRange(values.Cast<GenericRecord>());
                    }
                }

                // Each split's partial states are one write: the upsert merges them with the other splits' by key.
                written += records.Count;
                await serving.WriteAsync(new PipelineStep(empty with { Output = new RecordBatch(schema, records) }, [], PipelineStateChanges.None, schema, null, false),
                    cancellationToken);
            }

            await reader.DisposeAsync();
            await serving.CompleteAsync(new PipelineStep(empty, positions, PipelineStateChanges.None, schema, watermark, true), cancellationToken);
        }

        return Summary(runId, "SUCCEEDED", source, claimed, rows, clock, serving.Generation, watermark, deadLetters,
            $"this host read {claimed} of {positions.Count} splits ({rows:N0} rows); all hosts read {total:N0} rows") with { RowsWritten = written };
    }

    private static BackfillSummary Summary(Guid runId, string status, ResolvedSource source, int splits, long rows, Stopwatch clock, long? generation,
        DateTime? watermark, long deadLetters, string message) => new()
    {
        RunId = runId,
        Status = status == "SUCCEEDED" || status == "RUNNING" ? BackfillStatus.Succeeded : BackfillStatus.Failed,
        Mode = BackfillMode.Full,
        Source = source.Description,
        Partitions = source.Partitions,
        PartitionsPruned = source.PrunedPartitions,
        FilesListed = source.Files.Count,
        Splits = splits,
        RowsRead = rows,
        DeadLetters = deadLetters,
        Generation = generation,
        Watermark = watermark,
        Duration = clock.Elapsed,
        Message = message,
    };

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
