using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streams.Streaming.Kafka;

/// <summary>
/// An in-process Kafka-protocol broker: librdkafka's mock cluster, listening on real TCP sockets on
/// 127.0.0.1, so that any Kafka client (this process's, kcat, another process) can use it through
/// <see cref="BootstrapServers"/>. It backs <c>streams dev</c> and the tests; it lives as long as
/// this object, whose librdkafka handle owns the cluster.
/// </summary>
/// <remarks>
/// Not a Kafka replacement: the mock cluster keeps data in memory (at most 5 MiB or 100,000 message
/// sets per partition), auto-creates topics with four partitions on first use, and does not serve the
/// admin API for topics or consumer groups. Topics with a chosen partition count come from
/// <see cref="CreateTopic"/>, the mock cluster's own call, which <see cref="TopicManager"/> uses.
/// </remarks>
public sealed unsafe class MockKafkaCluster : IDisposable
{
    private readonly Lock _lock = new();
    private IntPtr _handle;
    private readonly IntPtr _cluster;

    private MockKafkaCluster(IntPtr handle, IntPtr cluster, string bootstrapServers, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
        Brokers = brokers;
    }

    /// <summary>The brokers' <c>host:port</c> list.</summary>
    public string BootstrapServers { get; }

    /// <summary>The number of brokers.</summary>
    public int Brokers { get; }

    /// <summary>Starts a mock cluster of <paramref name="brokers"/> brokers.</summary>
    /// <exception cref="KafkaException">librdkafka could not start it.</exception>
    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        // Warnings and above only: the mock cluster announces itself at notice level on every start.
        var handle = NativeClient.CreateProducer(
            [new("test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture)), new("log_level", "4")], "the mock cluster");

        var cluster = Native.HandleMockCluster(handle);
        var servers = cluster == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(Native.Bootstraps(cluster));
        if (string.IsNullOrEmpty(servers) || servers.Split(',').Length != brokers)
        {
            NativeClient.Destroy(handle);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, $"the mock cluster reported brokers '{servers}', expected {brokers}"));
        }

        return new MockKafkaCluster(handle, cluster, servers, brokers);
    }

    /// <summary>
    /// Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions and
    /// <paramref name="replicationFactor"/> replicas (at most <see cref="Brokers"/>).
    /// </summary>
    /// <exception cref="KafkaException">The mock cluster refused (for example, the topic exists).</exception>
    public void CreateTopic(string topic, int partitions, int replicationFactor)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Check(name => Native.TopicCreate(Cluster(), name, partitions, replicationFactor), topic, $"create topic '{topic}'");
    }

    /// <summary>Makes broker <paramref name="brokerId"/> the leader of a partition, or with -1 leaves it without one (produce requests wait, then time out).</summary>
    /// <exception cref="KafkaException">The mock cluster refused.</exception>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Check(name => Native.PartitionSetLeader(Cluster(), name, partition, brokerId), topic, $"set the leader of '{topic}' partition {partition}");
    }

    /// <summary>Deletes <paramref name="topic"/> and its records.</summary>
    /// <exception cref="KafkaException">The mock cluster refused (for example, no such topic).</exception>
    public void DeleteTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Check(name => Native.TopicDelete(Cluster(), name), topic, $"delete topic '{topic}'");
    }

    /// <summary>Stops the cluster; clients still connected see their connections close.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle != IntPtr.Zero)
            {
                NativeClient.Destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    private IntPtr Cluster()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        return _cluster;
    }

    private void Check(Func<IntPtr, int> call, string topic, string what)
    {
        var name = Marshal.StringToCoTaskMemUTF8(topic);
        try
        {
            int code;
            lock (_lock)
            {
                code = call(name);
            }

            if (code != 0)
            {
                var error = new Error((ErrorCode)code);
                throw new KafkaException(new Error(error.Code, $"the embedded broker could not {what}: {error.Reason}"));
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    /// <summary>The librdkafka calls Confluent.Kafka does not wrap, bound to the same library it uses.</summary>
    private static class Native
    {
        private static readonly delegate* unmanaged<IntPtr, IntPtr> HandleMockClusterFn =
            (delegate* unmanaged<IntPtr, IntPtr>)LibrdkafkaNative.Export("rd_kafka_handle_mock_cluster");
        private static readonly delegate* unmanaged<IntPtr, IntPtr> BootstrapsFn =
            (delegate* unmanaged<IntPtr, IntPtr>)LibrdkafkaNative.Export("rd_kafka_mock_cluster_bootstraps");
        private static readonly delegate* unmanaged<IntPtr, IntPtr, int, int, int> TopicCreateFn =
            (delegate* unmanaged<IntPtr, IntPtr, int, int, int>)LibrdkafkaNative.Export("rd_kafka_mock_topic_create");
        private static readonly delegate* unmanaged<IntPtr, IntPtr, int, int, int> PartitionSetLeaderFn =
            (delegate* unmanaged<IntPtr, IntPtr, int, int, int>)LibrdkafkaNative.Export("rd_kafka_mock_partition_set_leader");
        private static readonly delegate* unmanaged<IntPtr, IntPtr, int> TopicDeleteFn =
            (delegate* unmanaged<IntPtr, IntPtr, int>)LibrdkafkaNative.Export("rd_kafka_mock_topic_delete");

        public static IntPtr HandleMockCluster(IntPtr handle) => HandleMockClusterFn(handle);

        public static IntPtr Bootstraps(IntPtr cluster) => BootstrapsFn(cluster);

        public static int TopicCreate(IntPtr cluster, IntPtr topic, int partitions, int replicationFactor) =>
            TopicCreateFn(cluster, topic, partitions, replicationFactor);

        public static int TopicDelete(IntPtr cluster, IntPtr topic) => TopicDeleteFn(cluster, topic);

        public static int PartitionSetLeader(IntPtr cluster, IntPtr topic, int partition, int brokerId) =>
            PartitionSetLeaderFn(cluster, topic, partition, brokerId);
    }
}
