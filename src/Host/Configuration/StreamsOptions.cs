using Microsoft.Extensions.Configuration;
using Streams.Catalog.Storage;
using Streams.Streaming.Kafka;

namespace Streams.Host.Configuration;

/// <summary>
/// Everything the host is configured with, bound from the <c>Streams</c> section of appsettings.json and
/// from <c>STREAMS__SECTION__KEY</c> environment variables (README, "Configuration").
/// </summary>
public sealed class StreamsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Streams";

    /// <summary>Kafka bootstrap servers and client settings.</summary>
    public KafkaOptions Kafka { get; set; } = new();

    /// <summary>The PostgreSQL that holds the registry, catalog and serving layer.</summary>
    public PostgresOptions Postgres { get; set; } = new();

    /// <summary>The lake: a local directory or an S3 bucket and prefix.</summary>
    public LakeOptions Lake { get; set; } = new();

    /// <summary>The HTTP API.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>The speed layer (<c>streams stream</c>).</summary>
    public SpeedOptions Speed { get; set; } = new();

    /// <summary>Binds the options from configuration.</summary>
    public static StreamsOptions Bind(IConfiguration configuration)
    {
        var options = new StreamsOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}

/// <summary>The PostgreSQL connection.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string; empty under <c>streams dev</c>, which starts its own cluster.</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>The HTTP API listener.</summary>
public sealed class ApiOptions
{
    /// <summary>The URL Kestrel listens on.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";
}

/// <summary>How <c>streams stream</c> runs a pipeline's Streamiz application.</summary>
public sealed class SpeedOptions
{
    /// <summary>
    /// The consumer group session timeout (e.g. <c>00:00:10</c>); empty keeps librdkafka's 45 s. A process
    /// that dies holds its partitions this long; a replacement of a stopped one waits about as long too.
    /// </summary>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>How often consumed offsets are committed to Kafka (PostgreSQL holds the positions that count).</summary>
    public TimeSpan KafkaCommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Streamiz stream threads per process.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The lake archive rolls a partition's micro-batch files of one hour into one file at this many bytes.</summary>
    public long ArchiveFileBytes { get; set; } = 64L << 20;

    /// <summary>... or when the oldest of them is this old.</summary>
    public TimeSpan ArchiveFileAge { get; set; } = TimeSpan.FromMinutes(5);
}
