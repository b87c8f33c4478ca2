using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Produce;

/// <summary>
/// A producer to one topic on librdkafka's own produce call, for <see cref="FileProducer"/>'s hot path. Confluent.Kafka's
/// <c>Produce</c> needs a <c>byte[]</c> per key and value and, to learn of a failure, a delivery handler per message
/// (a GCHandle and a report object each); here a read batch goes over in one call (<c>rd_kafka_produce_batch</c>), librdkafka
/// copies each message from the batch's buffer (<c>RD_KAFKA_MSG_F_COPY</c>) and
/// calls back only for failures (<c>delivery.report.only.error</c>), each carrying the number the caller gave the message,
/// so a delivered message costs no callback and a failed one is still named. Configured from the same
/// <see cref="ProducerConfig"/> (<see cref="KafkaClientFactory.ProducerConfig"/>) every other producer uses, on the same library.
/// </summary>
/// <remarks>Not thread-safe: one thread produces, polls and flushes (failure callbacks run inside those calls).</remarks>
internal sealed unsafe class WireProducer : IDisposable
{
    private const int PartitionUnassigned = -1;
    private const int CopyFlag = 0x2;
    private const int PurgeQueued = 0x1;
    private const int PurgeInFlight = 0x2;
    private const int BootstrapBroker = -1;

    // The most keyless messages in a row that go to one partition: a block of an Avro file can hold any number of records.
    private const int PartitionRun = 1024;

    // About 50 ms of asking, at most: a broker connection opens in about 1 ms on one host.
    private const int BrokerUpAttempts = 50;

    // librdkafka's defaults for queue.buffering.max.messages and queue.buffering.max.kbytes.
    private const int DefaultQueueMessages = 100_000;
    private const long DefaultQueueKilobytes = 1_048_576;

    private readonly List<UndeliveredMessage> _failures = [];
    private readonly int _queueMessages;
    private readonly long _queueBytes;
    private NativeMessage[] _batch = [];
    private int _largestMessage;
    private int _partitions;
    private int _nextPartition;
    private GCHandle _self;
    private IntPtr _handle;
    private IntPtr _topic;

    /// <summary>A producer with <paramref name="config"/>'s librdkafka properties, sending to <paramref name="topic"/>.</summary>
    /// <exception cref="KafkaException">librdkafka refused a property or could not start.</exception>
    public WireProducer(ProducerConfig config, string topic)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        _queueMessages = config.QueueBufferingMaxMessages ?? DefaultQueueMessages;
        _queueBytes = (config.QueueBufferingMaxKbytes ?? DefaultQueueKilobytes) * 1024;
        _self = GCHandle.Alloc(this);
        try
        {
            // "dotnet.*" properties are Confluent.Kafka's own, not librdkafka's. Without sparse connections the brokers are
            // connected at once rather than one per 50 ms (half reconnect.backoff.ms), which is what Connect waits for; a
            // file's records go to every partition, so to every leader, anyway.
            _handle = NativeClient.CreateProducer(
                [
                    .. config.Where(p => !p.Key.StartsWith("dotnet.", StringComparison.Ordinal)),
                    new("delivery.report.only.error", "true"),
                    new("enable.sparse.connections", "false"),
                ], "the producer",
                conf =>
                {
                    Native.ConfSetOpaque(conf, GCHandle.ToIntPtr(_self));
                    Native.ConfSetDeliveryCallback(conf, &OnDelivery);
                });
        }
        catch
        {
            _self.Free();
            throw;
        }

        var topicName = Marshal.StringToCoTaskMemUTF8(topic);
        try
        {
            _topic = Native.TopicNew(_handle, topicName, IntPtr.Zero);
        }
        finally
        {
            Marshal.FreeCoTaskMem(topicName);
        }

        if (_topic == IntPtr.Zero)
        {
            var code = (ErrorCode)Native.LastError();
            Dispose();
            throw new KafkaException(new Error(code, $"the producer could not open topic '{topic}': {new Error(code).Reason}"));
        }
    }

    /// <summary>
    /// Hands a message over (copied; <paramref name="key"/> null for none); <paramref name="number"/> names it in
    /// <see cref="TakeFailures"/> should it not be delivered. <see cref="ErrorCode.Local_QueueFull"/> means: poll, then try again.
    /// </summary>
    /// <returns><see cref="ErrorCode.NoError"/>, or why librdkafka refused the message at once.</returns>
    private ErrorCode Produce(ReadOnlySpan<byte> value, ReadOnlySpan<byte> key, bool keyed, long number)
    {
        fixed (byte* v = value)
        fixed (byte* k = key)
        {
            return Native.Produce(_topic, PartitionUnassigned, CopyFlag, v, (nuint)value.Length, keyed ? k : null,
                keyed ? (nuint)key.Length : 0, (IntPtr)number) == 0
                ? ErrorCode.NoError
                : (ErrorCode)Native.LastError();
        }
    }

    /// <summary>
    /// Hands over <paramref name="messages"/> (their keys and values in <paramref name="bytes"/>) in one call, in order:
    /// librdkafka copies each, as <see cref="Produce"/> does, but takes its locks once per batch rather than once per
    /// message. A batch with keys is partitioned by librdkafka message by message (a key's partition is the partitioner's
    /// to say); a batch without goes to one partition (up to 1,024 messages; beyond, the next 1,024 to the next), the next batch to the next partition of those the topic had
    /// when the producer connected: no partitioner call per message, and keyless records spread evenly, where librdkafka's
    /// sticky partitioner would keep to one random partition for 10 ms at a time. Each message is numbered <paramref name="numberBase"/> | its ordinal. Waits (serving
    /// events) for room in librdkafka's queue first, so that no message of the batch is refused for a full queue: a
    /// refused message would be handed over again after the ones behind it, and a key's messages must stay in order.
    /// </summary>
    /// <returns>The messages librdkafka refused at once, with why; empty when all were handed over.</returns>
    public List<UndeliveredMessage> ProduceBatch(ReadOnlySpan<byte> bytes, ReadOnlySpan<EncodedMessage> messages, long numberBase)
    {
        var refused = new List<UndeliveredMessage>();
        if (messages.IsEmpty)
        {
            return refused;
        }

        if (_batch.Length < messages.Length)
        {
            _batch = GC.AllocateArray<NativeMessage>(messages.Length, pinned: true);
        }

        var batchBytes = 0L;
        var keyed = false;
        foreach (ref readonly var message in messages)
        {
            keyed |= message.KeyLength >= 0;
            batchBytes += message.Size;
            _largestMessage = Math.Max(_largestMessage, message.Size);
        }

        // librdkafka counts queued messages and bytes until they are delivered; what it does not say, the largest message
        // handed over bounds. A batch that cannot fit even an empty queue goes message by message.
        if (messages.Length > _queueMessages || batchBytes > _queueBytes)
        {
            for (var i = 0; i < messages.Length; i++)
            {
                ProduceOne(bytes, messages[i], numberBase, refused);
            }

            return refused;
        }

        while (Native.OutqLen(_handle) is var queued && (queued + messages.Length > _queueMessages || (long)queued * _largestMessage + batchBytes > _queueBytes))
        {
            Native.Poll(_handle, 1);
        }

        fixed (byte* start = bytes)
        {
            for (var i = 0; i < messages.Length; i++)
            {
                ref readonly var message = ref messages[i];
                ref var native = ref _batch[i];
                native = default;
                native.Payload = (IntPtr)(start + message.ValueStart);
                native.Length = (nuint)message.ValueLength;
                if (message.KeyLength >= 0)
                {
                    native.Key = (IntPtr)(start + message.KeyStart);
                    native.KeyLength = (nuint)message.KeyLength;
                }

                native.Opaque = (IntPtr)(numberBase | message.Ordinal);
            }

            fixed (NativeMessage* batch = _batch)
            {
                var handedOver = 0;
                for (var from = 0; from < messages.Length; from += PartitionRun)
                {
                    var count = Math.Min(PartitionRun, messages.Length - from);
                    var partition = keyed || _partitions == 0 ? PartitionUnassigned : _nextPartition++ % _partitions;
                    handedOver += Native.ProduceBatch(_topic, partition, CopyFlag, batch + from, count);
                }

                if (handedOver == messages.Length)
                {
                    return refused;
                }
            }
        }

        for (var i = 0; i < messages.Length; i++)
        {
            if (_batch[i].Error is not 0 and var error)
            {
                refused.Add(new UndeliveredMessage(numberBase | messages[i].Ordinal, messages[i].Size, new Error((ErrorCode)error).Reason));
            }
        }

        return refused;
    }

    private void ProduceOne(ReadOnlySpan<byte> bytes, in EncodedMessage message, long numberBase, List<UndeliveredMessage> refused)
    {
        var value = bytes.Slice(message.ValueStart, message.ValueLength);
        var key = message.KeyLength < 0 ? default : bytes.Slice(message.KeyStart, message.KeyLength);
        ErrorCode error;
        while ((error = Produce(value, key, message.KeyLength >= 0, numberBase | message.Ordinal)) == ErrorCode.Local_QueueFull)
        {
            Poll(1);
        }

        if (error != ErrorCode.NoError)
        {
            refused.Add(new UndeliveredMessage(numberBase | message.Ordinal, message.Size, new Error(error).Reason));
        }
    }

    /// <summary>
    /// Asks the cluster for the topic's metadata, which the producer needs before sending anyway: proof that the brokers
    /// answer. Asks again until a broker itself (not the bootstrap connection) answers, within <paramref name="timeoutMs"/>:
    /// librdkafka asks for the idempotent producer's id when a metadata answer arrives and a broker is up, and otherwise
    /// only on a 500 ms timer, so the first messages would wait half a second for an id.
    /// </summary>
    /// <returns><see cref="ErrorCode.NoError"/>, or why no broker answered within <paramref name="timeoutMs"/> ms.</returns>
    public ErrorCode Connect(int timeoutMs)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        var answeredBy = BootstrapBroker;
        var error = FetchMetadata(timeoutMs, ref answeredBy);
        for (var attempt = 0; error == 0 && answeredBy == BootstrapBroker && attempt < BrokerUpAttempts; attempt++)
        {
            Thread.Sleep(1);
            error = FetchMetadata((int)Math.Max(1, deadline - Environment.TickCount64), ref answeredBy);
        }

        return (ErrorCode)error;
    }

    private int FetchMetadata(int timeoutMs, ref int answeredBy)
    {
        NativeMetadata* metadata;
        var error = Native.Metadata(_handle, 0, _topic, (IntPtr*)&metadata, timeoutMs);
        if (error == 0)
        {
            answeredBy = metadata->OriginBrokerId;
            var topic = metadata->TopicCount == 1 ? (NativeMetadataTopic*)metadata->Topics : null;
            _partitions = topic is not null && topic->Error == 0 ? topic->PartitionCount : 0;
            Native.MetadataDestroy((IntPtr)metadata);
        }

        return error;
    }

    /// <summary>Serves librdkafka's events (failure reports among them) for up to <paramref name="timeoutMs"/> ms.</summary>
    public void Poll(int timeoutMs) => Native.Poll(_handle, timeoutMs);

    /// <summary>Waits up to <paramref name="timeoutMs"/> ms for what was handed over; returns the messages still not done.</summary>
    public int Flush(int timeoutMs)
    {
        Native.Flush(_handle, timeoutMs);
        return Native.OutqLen(_handle);
    }

    /// <summary>Gives up on the messages not yet delivered: each becomes a failure (<c>_PURGE_QUEUE</c> or <c>_PURGE_INFLIGHT</c>).</summary>
    public void Abandon()
    {
        Native.Purge(_handle, PurgeQueued | PurgeInFlight);
        Native.Poll(_handle, 0);
    }

    /// <summary>The messages reported undelivered since the last call.</summary>
    public List<UndeliveredMessage> TakeFailures()
    {
        var failures = _failures.ToList();
        _failures.Clear();
        return failures;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_topic != IntPtr.Zero)
        {
            Native.TopicDestroy(_topic);
            _topic = IntPtr.Zero;
        }

        if (_handle != IntPtr.Zero)
        {
            NativeClient.Destroy(_handle);
            _handle = IntPtr.Zero;
        }

        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDelivery(IntPtr handle, NativeMessage* message, IntPtr opaque)
    {
        if (message->Error == 0 || GCHandle.FromIntPtr(opaque).Target is not WireProducer producer)
        {
            return;
        }

        var code = (ErrorCode)message->Error;
        producer._failures.Add(new UndeliveredMessage((long)message->Opaque, (int)(message->Length + message->KeyLength),
            Marshal.PtrToStringUTF8(Native.ErrorString(message->Error)) ?? code.ToString()));
    }

    /// <summary>librdkafka's <c>rd_kafka_message_t</c>: what a delivery report reads, and what <see cref="ProduceBatch"/> fills in.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeMessage
    {
        public int Error;
        public IntPtr Topic;
        public int Partition;
        public IntPtr Payload;
        public nuint Length;
        public IntPtr Key;
        public nuint KeyLength;
        public long Offset;
        public IntPtr Opaque;
    }

    /// <summary>librdkafka's <c>rd_kafka_metadata_topic_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeMetadataTopic
    {
        public IntPtr Name;
        public int PartitionCount;
        public IntPtr Partitions;
        public int Error;
    }

    /// <summary>librdkafka's <c>rd_kafka_metadata_t</c>, as far as <see cref="Connect"/> reads it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeMetadata
    {
        public int BrokerCount;
        public IntPtr Brokers;
        public int TopicCount;
        public IntPtr Topics;
        public int OriginBrokerId;
        public IntPtr OriginBrokerName;
    }

    /// <summary>The librdkafka calls this producer makes, bound to the library Confluent.Kafka uses.</summary>
    private static class Native
    {
        private static readonly delegate* unmanaged<IntPtr, IntPtr, void> ConfSetOpaqueFn =
            (delegate* unmanaged<IntPtr, IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_conf_set_opaque");
        private static readonly delegate* unmanaged<IntPtr, delegate* unmanaged[Cdecl]<IntPtr, NativeMessage*, IntPtr, void>, void> ConfSetDrMsgCbFn =
            (delegate* unmanaged<IntPtr, delegate* unmanaged[Cdecl]<IntPtr, NativeMessage*, IntPtr, void>, void>)LibrdkafkaNative.Export("rd_kafka_conf_set_dr_msg_cb");
        private static readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr> TopicNewFn =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr>)LibrdkafkaNative.Export("rd_kafka_topic_new");
        private static readonly delegate* unmanaged<IntPtr, void> TopicDestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_topic_destroy");
        private static readonly delegate* unmanaged<IntPtr, int, int, byte*, nuint, byte*, nuint, IntPtr, int> ProduceFn =
            (delegate* unmanaged<IntPtr, int, int, byte*, nuint, byte*, nuint, IntPtr, int>)LibrdkafkaNative.Export("rd_kafka_produce");
        private static readonly delegate* unmanaged<IntPtr, int, int, NativeMessage*, int, int> ProduceBatchFn =
            (delegate* unmanaged<IntPtr, int, int, NativeMessage*, int, int>)LibrdkafkaNative.Export("rd_kafka_produce_batch");
        private static readonly delegate* unmanaged<int> LastErrorFn = (delegate* unmanaged<int>)LibrdkafkaNative.Export("rd_kafka_last_error");
        private static readonly delegate* unmanaged<IntPtr, int, int> PollFn = (delegate* unmanaged<IntPtr, int, int>)LibrdkafkaNative.Export("rd_kafka_poll");
        private static readonly delegate* unmanaged<IntPtr, int, int> FlushFn = (delegate* unmanaged<IntPtr, int, int>)LibrdkafkaNative.Export("rd_kafka_flush");
        private static readonly delegate* unmanaged<IntPtr, int> OutqLenFn = (delegate* unmanaged<IntPtr, int>)LibrdkafkaNative.Export("rd_kafka_outq_len");
        private static readonly delegate* unmanaged<IntPtr, int, int> PurgeFn = (delegate* unmanaged<IntPtr, int, int>)LibrdkafkaNative.Export("rd_kafka_purge");
        private static readonly delegate* unmanaged<IntPtr, int, IntPtr, IntPtr*, int, int> MetadataFn =
            (delegate* unmanaged<IntPtr, int, IntPtr, IntPtr*, int, int>)LibrdkafkaNative.Export("rd_kafka_metadata");
        private static readonly delegate* unmanaged<IntPtr, void> MetadataDestroyFn = (delegate* unmanaged<IntPtr, void>)LibrdkafkaNative.Export("rd_kafka_metadata_destroy");
        private static readonly delegate* unmanaged<int, IntPtr> ErrorStringFn = (delegate* unmanaged<int, IntPtr>)LibrdkafkaNative.Export("rd_kafka_err2str");

        public static void ConfSetOpaque(IntPtr conf, IntPtr opaque) => ConfSetOpaqueFn(conf, opaque);

        public static void ConfSetDeliveryCallback(IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, NativeMessage*, IntPtr, void> callback) =>
            ConfSetDrMsgCbFn(conf, callback);

        public static IntPtr TopicNew(IntPtr handle, IntPtr topic, IntPtr conf) => TopicNewFn(handle, topic, conf);

        public static void TopicDestroy(IntPtr topic) => TopicDestroyFn(topic);

        public static int Produce(IntPtr topic, int partition, int flags, byte* payload, nuint length, byte* key, nuint keyLength, IntPtr opaque) =>
            ProduceFn(topic, partition, flags, payload, length, key, keyLength, opaque);

        public static int ProduceBatch(IntPtr topic, int partition, int flags, NativeMessage* messages, int count) =>
            ProduceBatchFn(topic, partition, flags, messages, count);

        public static int LastError() => LastErrorFn();

        public static int Poll(IntPtr handle, int timeoutMs) => PollFn(handle, timeoutMs);

        public static int Flush(IntPtr handle, int timeoutMs) => FlushFn(handle, timeoutMs);

        public static int OutqLen(IntPtr handle) => OutqLenFn(handle);

        public static int Purge(IntPtr handle, int flags) => PurgeFn(handle, flags);

        public static int Metadata(IntPtr handle, int allTopics, IntPtr topic, IntPtr* metadata, int timeoutMs) =>
            MetadataFn(handle, allTopics, topic, metadata, timeoutMs);

        public static void MetadataDestroy(IntPtr metadata) => MetadataDestroyFn(metadata);

        public static IntPtr ErrorString(int code) => ErrorStringFn(code);
    }
}
