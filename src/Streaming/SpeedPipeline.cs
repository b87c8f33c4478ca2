using Npgsql;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Specs;
using Streams.Registry.Client;
using Streams.Serving;
using Streams.Streaming.Archive;
using Streams.Streaming.DeadLetters;
using Streams.Streaming.Kafka;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming;

/// <summary>
/// A pipeline made ready for the speed layer: its reader schema (the spec's schema file, else the latest
/// version of its registry subject when it starts: later versions are read through it), its serving
/// output, its dead-letter table and topic, all created if missing. <see cref="CreateLayer"/> makes the
/// Streamiz application that runs it; several processes may run the same pipeline and split its partitions.
/// </summary>
public sealed class SpeedPipeline : IDisposable
{
    private SpeedPipeline(PipelineSpec spec, KafkaSourceSpec source, RecordSchema readerSchema, ServingOutputDefinition output,
        NpgsqlDataSource dataSource, ISchemaRegistryClient registry, Catalog.Store.CatalogStore? catalog, DeadLetterTopic deadLetterTopic,
        LakeArchive? archive)
    {
        Archive = archive;
        Spec = spec;
        Source = source;
        ReaderSchema = readerSchema;
        Output = output;
        DataSource = dataSource;
        Catalog = catalog;
        Enforcer = new SchemaEnforcer(registry, readerSchema);
        DeadLetterTable = new KafkaDeadLetterTable(spec.Name);
        DeadLetterTopic = deadLetterTopic;
    }

    /// <summary>The pipeline spec.</summary>
    public PipelineSpec Spec { get; }

    /// <summary>The Kafka source: topic, subject, micro-batch bounds.</summary>
    public KafkaSourceSpec Source { get; }

    /// <summary>The source topic.</summary>
    public string Topic => Source.Topic;

    /// <summary>The schema records are read as.</summary>
    public RecordSchema ReaderSchema { get; }

    /// <summary>The serving output the pipeline fills.</summary>
    public ServingOutputDefinition Output { get; }

    /// <summary>The dead-letter table.</summary>
    public KafkaDeadLetterTable DeadLetterTable { get; }

    /// <summary>The dead-letter topic.</summary>
    public DeadLetterTopic DeadLetterTopic { get; }

    /// <summary>The lake archive of the topic, or null when the pipeline runs without a lake.</summary>
    public LakeArchive? Archive { get; }

    internal NpgsqlDataSource DataSource { get; }

    internal Catalog.Store.CatalogStore? Catalog { get; }

    internal SchemaEnforcer Enforcer { get; }

    /// <summary>
    /// Checks the spec and makes everything it needs exist (serving schema and output, dead-letter table and topic);
    /// with <paramref name="lake"/>, accepted records are archived there too, rolled by <paramref name="archiveOptions"/>, and with
    /// <paramref name="catalog"/> the archive's partitions are registered in the Data Catalog (<see cref="ArchiveCatalogTable"/>).
    /// </summary>
    /// <exception cref="PipelineSpecException">The spec has no Kafka source or no single serving sink.</exception>
    /// <exception cref="TopicException">The source topic does not exist, or the dead-letter topic cannot be made.</exception>
    public static async Task<SpeedPipeline> CreateAsync(PipelineSpec spec, NpgsqlDataSource dataSource, ISchemaRegistryClient registry,
        KafkaClientFactory kafka, TopicManager topics, Catalog.Store.CatalogStore? catalog = null, Catalog.Storage.ILakeStorage? lake = null,
        ArchiveOptions? archiveOptions = null, CancellationToken cancellationToken = default)
    {
        var (source, servingSink) = SpeedSourceAndSink(spec);
        var readerSchema = await ReaderSchemaAsync(spec, source, registry, cancellationToken);
        var output = new PipelineRunner(spec, PipelineMode.Speed).ServingDefinition(servingSink, readerSchema);
        // Metadata only (a listing): describing would ask for configs and groups, which the embedded broker
        // does not serve when this process is not the one that owns it.
        var listed = topics.List();
        var sourceTopic = listed.FirstOrDefault(t => t.Name == source.Topic) ?? throw new TopicException(TopicError.NotFound,
            $"Pipeline '{spec.Name}': topic '{source.Topic}' does not exist; create it (streams topics create {source.Topic} --partitions N) or produce to it first.");
        var deadLetterName = DeadLetters.DeadLetterTopic.NameOf(source.Topic);
        if (listed.All(t => t.Name != deadLetterName))
        {
            try
            {
                await topics.EnsureAsync(new TopicSpec(deadLetterName, sourceTopic.Partitions), cancellationToken);
            }
            catch (TopicException e) when (e.Error == TopicError.Broker)
            {
                throw new TopicException(TopicError.Broker,
                    $"Pipeline '{spec.Name}': the dead-letter topic '{deadLetterName}' does not exist and could not be created ({e.Message}). " +
                    $"Create it first: streams topics create {deadLetterName} --partitions {sourceTopic.Partitions}.", e);
            }
        }

        await ServingMigrations.EnsureAppliedAsync(dataSource, cancellationToken);
        await new ServingStore(dataSource, catalog).EnsureOutputAsync(output, cancellationToken);
        var table = new KafkaDeadLetterTable(spec.Name);
        await table.EnsureAsync(dataSource, cancellationToken);
        await Monitoring.SpeedStatusStore.RecordAsync(dataSource, spec.Name, source.Topic, output.Name, spec.Text,
            spec.Source.SchemaFile is { } schemaFile ? Path.GetFullPath(schemaFile) : null, cancellationToken);

        LakeArchive? archive = null;
        if (lake is not null)
        {
            ArchiveCatalogTable? archiveTable = null;
            if (catalog is not null)
            {
                var (database, name) = ArchiveCatalogTable.NameFor(spec, source.Topic);
                archiveTable = new ArchiveCatalogTable(catalog, database, name);
            }

            archive = new LakeArchive(lake, source.Topic, archiveOptions, archiveTable);
            if (archiveTable is not null)
            {
                await archiveTable.EnsureTableAsync(archive.Folder, readerSchema, cancellationToken);
            }
        }

        var producer = kafka.CreateProducer<byte[]?, byte[]?>(c => c.LingerMs = 0);
        return new SpeedPipeline(spec, source, readerSchema, output, dataSource, registry, catalog, new DeadLetterTopic(source.Topic, producer), archive);
    }

    /// <summary>The Streamiz application that runs this pipeline in this process.</summary>
    public SpeedLayer CreateLayer(SpeedLayerOptions options, SpeedLayerMetrics? metrics = null) =>
        new(options.ApplicationId ?? Spec.Name, Topic, Bounds, options, CreatePartitionWriter, metrics)
        {
            Reporter = new Monitoring.SpeedStatusReporter(DataSource, Spec.Name),
        };

    /// <summary>The micro-batch bounds of the spec's Kafka source.</summary>
    public MicroBatchBounds Bounds => new(Source.MaxBatchRecords, Source.MaxBatchInterval);

    /// <summary>
    /// The writer of one source partition's micro-batches, as the Streamiz application makes one per task; for a caller
    /// that assigns partitions itself (a plain consumer loop), who must give each partition to one writer at a time.
    /// </summary>
    public IMicroBatchWriter CreatePartitionWriter(int partition) => new PipelineMicroBatchWriter(this, partition);

    /// <summary>Closes the dead-letter producer.</summary>
    public void Dispose() => DeadLetterTopic.Dispose();

    /// <summary>The spec's Kafka source and its one serving sink (of the main output), which the speed layer needs.</summary>
    /// <exception cref="PipelineSpecException">The spec has no Kafka source or not exactly one serving sink of the main output.</exception>
    internal static (KafkaSourceSpec Source, SinkSpec ServingSink) SpeedSourceAndSink(PipelineSpec spec)
    {
        var source = spec.Source.Kafka ?? throw new PipelineSpecException(
            $"Pipeline '{spec.Name}' has no Kafka source: add source.kafka.topic to stream it.");
        var servingSinks = spec.Sinks.Where(s => s.Serving is not null).ToList();
        if (servingSinks.Count != 1 || servingSinks[0].Output != SinkSpec.Main)
        {
            throw new PipelineSpecException(
                $"Pipeline '{spec.Name}': the speed layer writes one serving output of the main output; the spec has {servingSinks.Count} serving sinks" +
                (servingSinks.Count == 1 ? $" (of output '{servingSinks[0].Output}')" : "") + ".");
        }

        return (source, servingSinks[0]);
    }

    /// <summary>The schema the speed layer reads records as: the spec's schema file, else the subject's latest version.</summary>
    internal static async Task<RecordSchema> ReaderSchemaAsync(PipelineSpec spec, KafkaSourceSpec source, ISchemaRegistryClient registry,
        CancellationToken cancellationToken)
    {
        Schema schema;
        string origin;
        if (spec.Source.SchemaFile is { } file)
        {
            schema = AvroSchemaParser.Parse(await File.ReadAllTextAsync(file, cancellationToken));
            origin = file;
        }
        else
        {
            Registry.RegisteredSchema latest;
            try
            {
                latest = await registry.GetLatestSchemaAsync(source.Subject, cancellationToken);
            }
            catch (Registry.SchemaRegistryException e) when (e.StatusCode == 404)
            {
                throw new PipelineSpecException(
                    $"Pipeline '{spec.Name}': registry subject '{source.Subject}' has no schema, so the speed layer has no reader schema. " +
                    "Register the topic's schema first (streams registry register), or give source.schema (an .avsc file).");
            }

            if (latest.References.Count > 0)
            {
                throw new PipelineSpecException(
                    $"Pipeline '{spec.Name}': the latest schema of '{source.Subject}' has references; give the reader schema as source.schema (an .avsc file).");
            }

            schema = AvroSchemaParser.Parse(latest.Schema);
            origin = $"subject '{source.Subject}' version {latest.Version}";
        }

        return schema as RecordSchema ?? throw new PipelineSpecException(
            $"Pipeline '{spec.Name}': the reader schema ({origin}) is {schema.DisplayName}, not a record.");
    }
}
