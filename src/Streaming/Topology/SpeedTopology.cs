using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streams.Streaming.MicroBatches;

namespace Streams.Streaming.Topology;

/// <summary>
/// The Streamiz topology of a streaming pipeline: the source topic as raw bytes (the schema is enforced
/// per micro-batch, not by a Streamiz serde, whose failures could only drop or stop), null keys swapped
/// for <see cref="NullKey"/>, and the micro-batch processor with its store.
/// </summary>
internal static class SpeedTopology
{
    /// <summary>The name of the micro-batch store in every task.</summary>
    public const string StoreName = "micro-batch";

    public static Streamiz.Kafka.Net.Stream.Topology Build(string topic, Func<int, MicroBatchPartition> open)
    {
        var builder = new StreamBuilder();
        builder.Stream(topic, new ByteArraySerDes(), new ByteArraySerDes(), "source")
            .SelectKey<byte[]>((key, _, _) => NullKey.Wrap(key), "null-key")
            .Process(ProcessorBuilder.New<byte[], byte[]>()
                .Processor<MicroBatchProcessor>()
                .StateStore(new MicroBatchStoreBuilder(StoreName, open))
                .Build(), "micro-batches");
        return builder.Build();
    }
}
