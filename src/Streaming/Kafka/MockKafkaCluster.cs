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
    private const int ProducerType = 0;
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
        LibrdkafkaNative.Ensure();
        var conf = Native.ConfNew();
        var error = stackalloc byte[512];
        try
        {
            Set(conf, "test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture), error);
            // Warnings and above only: the mock cluster announces itself at notice level on every start.
            Set(conf, "log_level", "4", error);
        }
        catch
        {
            Native.ConfDestroy(conf);
            throw;
        }

        // rd_kafka_new takes the configuration over on success only.
        var handle = Native.New(ProducerType, conf, error, 512);
        if (handle == IntPtr.Zero)
        {
            Native.ConfDestroy(conf);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "the mock cluster did not start: " + Utf8(error)));
        }

        var cluster = Native.HandleMockCluster(handle);
        var servers = cluster == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(Native.Bootstraps(cluster));
        if (string.IsNullOrEmpty(servers) || servers.Split(',').Length != brokers)
        {
            Native.Destroy(handle);
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
                Native.Destroy(_handle);
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

    private static void Set(IntPtr conf, string name, string value, byte* error)
    {
        var n = Marshal.StringToCoTaskMemUTF8(name);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            if (Native.ConfSet(conf, n, v, error, 512) != 0)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fail, $"{name}={value}: {Utf8(error)}"));
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(n);
            Marshal.FreeCoTaskMem(v);
        }
    }

    private static string Utf8(byte* text) => Marshal.PtrToStringUTF8((IntPtr)text) ?? "";

    /// <summary>The librdkafka calls Confluent.Kafka does not wrap, bound to the same library it uses.</summary>
    private static class Native
    {
        private static readonly delegate* unmanaged<IntPtr> ConfNewFn = (delegate* unmanaged<IntPtr>)LibrdkafkaNative.Export("rd_kafka_conf_new");
        private static readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, nuint, int> ConfSetFn =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, nuint, int>)LibrdkafkaNative.Export("rd_kafka_conf_set");
        private static readonly delegate* unmanaged<IntPtr, void> ConfDestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_conf_destroy");
        private static readonly delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> NewFn =
            (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)LibrdkafkaNative.Export("rd_kafka_new");
        private static readonly delegate* unmanaged<IntPtr, void> DestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_destroy");
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

        public static IntPtr ConfNew() => ConfNewFn();

        public static int ConfSet(IntPtr conf, IntPtr name, IntPtr value, byte* error, nuint size) => ConfSetFn(conf, name, value, error, size);

        public static void ConfDestroy(IntPtr conf) => ConfDestroyFn(conf);

        public static IntPtr New(int type, IntPtr conf, byte* error, nuint size) => NewFn(type, conf, error, size);

        public static void Destroy(IntPtr handle) => DestroyFn(handle);

        public static IntPtr HandleMockCluster(IntPtr handle) => HandleMockClusterFn(handle);

        public static IntPtr Bootstraps(IntPtr cluster) => BootstrapsFn(cluster);

        public static int TopicCreate(IntPtr cluster, IntPtr topic, int partitions, int replicationFactor) =>
            TopicCreateFn(cluster, topic, partitions, replicationFactor);

        public static int TopicDelete(IntPtr cluster, IntPtr topic) => TopicDeleteFn(cluster, topic);

        public static int PartitionSetLeader(IntPtr cluster, IntPtr topic, int partition, int brokerId) =>
            PartitionSetLeaderFn(cluster, topic, partition, brokerId);
    }
}
