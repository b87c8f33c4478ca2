using Streamiz.Kafka.Net.Processors.Public;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Topology;

/// <summary>
/// The topology's one processor: appends each consumed record to its partition's micro-batch, which
/// writes itself when it reaches its record bound (here, during processing) or its time bound (on the
/// wall-clock punctuation); Streamiz's commit flushes whatever is left through <see cref="MicroBatchStore"/>.
/// Streamiz creates one per task (one task per source partition).
/// </summary>
internal sealed class MicroBatchProcessor : IProcessor<byte[], byte[]>
{
    private MicroBatchPartition? _partition;

    public void Init(ProcessorContext<byte[], byte[]> context)
    {
        var store = (MicroBatchStore)context.GetStateStore(SpeedTopology.StoreName);
        _partition = store.Open(context.Id.Partition);
        context.Schedule(_partition.PunctuationInterval, PunctuationType.PROCESSING_TIME, _ => _partition.FlushIfDue());
    }

    public void Process(Record<byte[], byte[]> record)
    {
        var position = record.TopicPartitionOffset;
        _partition!.Add(new KafkaRecord(position.Topic, position.Partition.Value, position.Offset.Value,
            record.Timestamp.UtcDateTime, NullKey.Unwrap(record.Key), record.Value));
    }

    public void Close()
    {
        // The store owns the partition worker: Streamiz flushes and closes the store after the processors.
    }
}
