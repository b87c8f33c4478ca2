using Npgsql;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Registry.Client;
using Streams.Streaming.Kafka;

namespace Streams.Jobs.Runs;

/// <summary>What job runs execute against: the host's database, lake and catalog, and, for streaming jobs, its Kafka.</summary>
public sealed record JobEnvironment
{
    /// <summary>The serving and batch database (the host's one PostgreSQL).</summary>
    public required NpgsqlDataSource Postgres { get; init; }

    /// <summary>The lake (opened on first use, so a host without a lake starts).</summary>
    public required LakeStorageProvider Lake { get; init; }

    /// <summary>The catalog, for table sources and outputs.</summary>
    public CatalogStore? Catalog { get; init; }

    /// <summary>The crawlers that trigger actions and workflows start.</summary>
    public CrawlerService? Crawlers { get; init; }

    /// <summary>Kafka and the registry for streaming jobs; null on a host without Kafka, where streaming runs fail saying so.</summary>
    public StreamingEnvironment? Streaming { get; init; }
}

/// <summary>The speed layer's dependencies in a host.</summary>
/// <param name="Kafka">The brokers.</param>
/// <param name="Topics">Topic management (the embedded broker's, in <c>streams dev</c>).</param>
/// <param name="Registry">Creates a client of the schema registry.</param>
public sealed record StreamingEnvironment(KafkaOptions Kafka, TopicManager Topics, Func<ISchemaRegistryClient> Registry)
{
    /// <summary>The consumer group session timeout; null keeps librdkafka's.</summary>
    public TimeSpan? SessionTimeout { get; init; }

    /// <summary>How often consumed offsets are committed to Kafka.</summary>
    public TimeSpan KafkaCommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Streamiz stream threads per run.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The lake the speed layer archives accepted records to; null: no archive.</summary>
    public ILakeStorage? Archive { get; init; }

    /// <summary>How the archive rolls its files (size and age); null keeps the speed layer's defaults.</summary>
    public Streams.Streaming.Archive.ArchiveOptions? ArchiveOptions { get; init; }

    /// <summary>The host's registry of running speed layers, so a streaming run shows in <c>/metrics</c> and <c>/api/status</c>; null: not reported.</summary>
    public Streams.Streaming.Monitoring.SpeedLayerRegistry? Layers { get; init; }
}
