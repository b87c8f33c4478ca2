using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Topology;

/// <summary>
/// The micro-batch buffer of one Streamiz task, registered as the task's state store so that Streamiz's
/// own commit writes it: a task commit flushes every state store of the task before it commits the
/// consumed offsets to Kafka (StreamTask.Commit: FlushState, then Consumer.Commit; and the same on
/// suspend, revoke and close). <see cref="Flush"/> hands the buffered records to the partition's
/// <see cref="MicroBatchPartition"/>, which writes them to PostgreSQL; so Kafka's committed offsets never
/// run ahead of what PostgreSQL holds. Not persistent and not logged: PostgreSQL is the state.
/// </summary>
internal sealed class MicroBatchStore(string name, Func<int, MicroBatchPartition> open) : IStateStore
{
    private MicroBatchPartition? _partition;

    public string Name => name;

    public bool Persistent => false;

    public bool IsLocally => true;

    public bool IsOpen { get; private set; }

    /// <summary>The partition worker of the task, opened by <see cref="Open"/>.</summary>
    public MicroBatchPartition Partition => _partition ?? throw new InvalidOperationException($"Store '{name}' has no partition open.");

    public void Init(ProcessorContext context, IStateStore root)
    {
        context.Register(root, null);
        IsOpen = true;
    }

    /// <summary>Opens the worker of source partition <paramref name="partition"/>: loads its committed position and state.</summary>
    public MicroBatchPartition Open(int partition)
    {
        _partition?.Dispose();
        _partition = open(partition);
        return _partition;
    }

    public void Flush() => _partition?.Flush();

    public void Close()
    {
        _partition?.Dispose();
        _partition = null;
        IsOpen = false;
    }
}
