using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Table;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Topology;

/// <summary>Builds one <see cref="MicroBatchStore"/> per Streamiz task. Never logged or cached: the data goes to PostgreSQL.</summary>
internal sealed class MicroBatchStoreBuilder(string name, Func<int, MicroBatchPartition> open) : IStoreBuilder<MicroBatchStore>
{
    public bool IsWindowStore => false;

    public long RetentionMs => 0;

    public TimeSpan RetentionTime => TimeSpan.Zero;

    public IDictionary<string, string> LogConfig { get; } = new Dictionary<string, string>();

    public bool LoggingEnabled => false;

    public string Name => name;

    public CacheSize? CacheSize => null;

    public IStoreBuilder<MicroBatchStore> WithCachingEnabled(CacheSize? cacheSize = null) =>
        throw new NotSupportedException("The micro-batch store has no cache: its flush writes to PostgreSQL.");

    public IStoreBuilder<MicroBatchStore> WithCachingDisabled() => this;

    public IStoreBuilder<MicroBatchStore> WithLoggingEnabled(IDictionary<string, string> config) =>
        throw new NotSupportedException("The micro-batch store has no changelog: PostgreSQL holds its state.");

    public IStoreBuilder<MicroBatchStore> WithLoggingDisabled() => this;

    public void CacheExplicitlySet()
    {
    }

    public MicroBatchStore Build(IStreamConfig config) => new(name, open);

    IStateStore IStoreBuilder.Build(IStreamConfig config) => Build(config);
}
