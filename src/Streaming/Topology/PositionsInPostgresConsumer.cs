using Confluent.Kafka;

namespace Streams.Streaming.Topology;

/// <summary>
/// The consumer Streamiz's stream threads use, with one change: a commit of consumed offsets that Kafka refuses
/// because the group is rebalancing (or this member's generation has moved on) is dropped instead of thrown.
/// </summary>
/// <remarks>
/// Streamiz turns a refused commit into a TaskMigratedException. When that happens inside its
/// partitions-revoked callback (the commit it makes before giving partitions up), Streamiz 1.8.2 leaves its
/// "rebalance in progress" flag set for good, and the stream thread sleeps without ever polling again: the
/// assignment that follows is never taken, and the pipeline stalls while it still looks RUNNING. The embedded
/// broker answers such commits with REBALANCE_IN_PROGRESS whenever another member joins or leaves, so two
/// processes on one pipeline met this at once. Dropping the commit is safe here: the positions that count are
/// in PostgreSQL (written with the data, fenced per partition), and Kafka's committed offsets only bound how
/// much a new owner re-reads and skips. Every other error still goes to Streamiz.
/// </remarks>
internal sealed class PositionsInPostgresConsumer(IConsumer<byte[], byte[]> inner) : IConsumer<byte[], byte[]>
{
    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => Tolerating(() => inner.Commit(offsets));

    public List<TopicPartitionOffset> Commit()
    {
        List<TopicPartitionOffset> committed = [];
        Tolerating(() => committed = inner.Commit());
        return committed;
    }

    public void Commit(ConsumeResult<byte[], byte[]> result) => Tolerating(() => inner.Commit(result));

    /// <summary>Runs a commit; one Kafka refuses for a membership change is dropped (see the remarks).</summary>
    private static void Tolerating(Action commit)
    {
        try
        {
            commit();
        }
        catch (KafkaException e) when (IsMembershipChange(e.Error.Code))
        {
        }
    }

    private static bool IsMembershipChange(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public string MemberId => inner.MemberId;

    public List<TopicPartition> Assignment => inner.Assignment;

    public List<string> Subscription => inner.Subscription;

    public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => inner.Consume(millisecondsTimeout);

    public ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => inner.Consume(cancellationToken);

    public ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => inner.Consume(timeout);

    public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

    public void Subscribe(string topic) => inner.Subscribe(topic);

    public void Unsubscribe() => inner.Unsubscribe();

    public void Assign(TopicPartition partition) => inner.Assign(partition);

    public void Assign(TopicPartitionOffset partition) => inner.Assign(partition);

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => inner.Assign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => inner.IncrementalUnassign(partitions);

    public void Unassign() => inner.Unassign();

    public void StoreOffset(ConsumeResult<byte[], byte[]> result) => inner.StoreOffset(result);

    public void StoreOffset(TopicPartitionOffset offset) => inner.StoreOffset(offset);

    public void Seek(TopicPartitionOffset tpo) => inner.Seek(tpo);

    public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => inner.Committed(timeout);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);

    public Offset Position(TopicPartition partition) => inner.Position(partition);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        inner.OffsetsForTimes(timestampsToSearch, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => inner.GetWatermarkOffsets(topicPartition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => inner.QueryWatermarkOffsets(topicPartition, timeout);

    public void Close() => inner.Close();

    public void Dispose() => inner.Dispose();
}
