using Npgsql;
using Streams.Catalog.Storage;
using Streams.Pipelines;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Serving;
using Streams.Streaming.Archive;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.DeadLetters;

/// <summary>
/// Sends a pipeline's dead letters back through it after a fix (a schema registered, a transform corrected):
/// each raw record is checked against the registry again and run through the same transforms as the speed layer.
/// In ONE PostgreSQL transaction the rows of those that now pass are merged into the serving output and their
/// dead letters are deleted, and those still dead keep their row with the new stage and reason. The dead letters
/// are locked while it runs (<c>FOR UPDATE SKIP LOCKED</c>), so two replays never apply one record twice, and a
/// running stream is unaffected: it never writes records behind its positions, and speed rows merge additively.
/// Replayed records join their windows whatever the window's lateness (each partition's replay starts with no watermark), and
/// deduplicate state is not consulted.
/// </summary>
public static class DeadLetterReplay
{
    /// <summary>Replays the dead letters of <paramref name="spec"/> that <paramref name="query"/> selects; with <paramref name="lake"/> the ones that pass are archived too.</summary>
    /// <exception cref="PipelineSpecException">The spec is not a speed-layer pipeline, or has no reader schema.</exception>
    public static async Task<DeadLetterReplayResult> RunAsync(PipelineSpec spec, NpgsqlDataSource dataSource, ISchemaRegistryClient registry,
        DeadLetterQuery query, ILakeStorage? lake = null, Catalog.Store.CatalogStore? catalog = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(query);
        var (source, servingSink) = SpeedPipeline.SpeedSourceAndSink(spec);
        var readerSchema = await SpeedPipeline.ReaderSchemaAsync(spec, source, registry, cancellationToken);
        var output = new PipelineRunner(spec, PipelineMode.Speed).ServingDefinition(servingSink, readerSchema);
        var enforcer = new SchemaEnforcer(registry, readerSchema);
        var table = new KafkaDeadLetterTable(spec.Name);
        var archive = lake is null ? null : new LakeArchive(lake, source.Topic);
        await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
        await new ServingStore(dataSource, catalog).EnsureOutputAsync(output, cancellationToken);
        await table.EnsureAsync(dataSource, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var selected = await table.SelectAsync(connection, transaction, query, forUpdate: true, cancellationToken);
        var replayed = new List<KafkaRecord>();
        var stillDead = new List<(KafkaDeadLetter Dead, string? RecordJson)>();
        var rows = 0;
        foreach (var partition in selected.GroupBy(d => (d.Record.Topic, d.Record.Partition)))
        {
            var records = partition.Select(d => d.Record).ToList();
            var (accepted, rejected) = await enforcer.EnforceAsync(records);
            // A runner per partition, each starting with no watermark: one runner for all would judge a partition's
            // records late against the event times of the partition replayed before it.
            var partitionRunner = new PipelineRunner(spec, PipelineMode.Speed, new PipelineEnvironment(dataSource));
            await partitionRunner.PrepareAsync(cancellationToken);
            var result = await partitionRunner.ProcessAsync(accepted, cancellationToken);
            var dead = PartitionServingSink.DeadLettersOf(records, rejected, result, partition.Key.Topic, partition.Key.Partition);
            var deadOffsets = dead.Select(d => d.Dead.Record.Offset).ToHashSet();
            if (archive is not null)
            {
                // The stream archived every record that passed the schema, transform failures included: only
                // records the schema rejected then and accepts now are new to the archive. Before the commit, as
                // the stream does; a crash before it leaves the dead letters, and the next replay rewrites the
                // same file (named by its offsets).
                var schemaDead = partition.Where(d => d.Stage == KafkaDeadLetter.SchemaStage).Select(d => d.Record.Offset).ToHashSet();
                var newToArchive = Enumerable.Range(0, accepted.Count).Where(i => schemaDead.Contains(accepted.PositionOf(i)!.Value.Offset)).ToList();
                await archive.WriteAsync(partition.Key.Partition,
                    new RecordBatch(accepted.Schema, [.. newToArchive.Select(i => accepted.Records[i])], [.. newToArchive.Select(accepted.PositionOf)]),
                    records, cancellationToken);
            }

            await ServingStore.WriteSpeedAsync(connection, transaction, output, result.Output.Records, [], cancellationToken);
            rows += result.Output.Count;
            replayed.AddRange(records.Where(r => !deadOffsets.Contains(r.Offset)));
            stillDead.AddRange(dead);
        }

        await table.DeleteAsync(connection, transaction, replayed, cancellationToken);
        await table.UpdateStillDeadAsync(connection, transaction, stillDead, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DeadLetterReplayResult(selected.Count, replayed.Count, rows, stillDead.Select(d => d.Dead).ToList());
    }
}
