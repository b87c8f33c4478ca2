using System.Runtime.CompilerServices;
using System.Text;
using Confluent.Kafka;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Consume;

/// <summary>
/// Reads a topic's Confluent wire-format Avro values, decoded through the registry (<see cref="AvroDeserializer"/>).
/// It assigns itself every partition rather than joining the group, so it starts at once on any broker; with a group
/// it starts from the group's committed offsets and commits what it handed out. A value that does not decode comes
/// back with the reason, and reading goes on.
/// </summary>
public sealed class TopicReader
{
    /// <summary>The most messages in one batch of <see cref="ReadBatchesAsync"/>.</summary>
    public const int BatchSize = 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    private readonly KafkaClientFactory _clients;
    private readonly ISchemaRegistryClient _registry;

    /// <summary>A reader over <paramref name="clients"/>' Kafka and <paramref name="registry"/>.</summary>
    public TopicReader(KafkaClientFactory clients, ISchemaRegistryClient registry)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(registry);
        _clients = clients;
        _registry = registry;
    }

    /// <summary>The messages, in order within each partition.</summary>
    /// <exception cref="TopicException">No such topic, or the broker could not be reached.</exception>
    public async IAsyncEnumerable<ConsumedMessage> ReadAsync(TopicReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in ReadBatchesAsync(options, cancellationToken))
        {
            foreach (var message in batch)
            {
                yield return message;
            }
        }
    }

    /// <summary>
    /// The messages in batches, in order within each partition: a batch holds what the consumer had at hand (at most
    /// <see cref="BatchSize"/>), so a caller that writes each batch out and then flushes is as prompt as one per message.
    /// </summary>
    /// <exception cref="TopicException">No such topic, or the broker could not be reached.</exception>
    public async IAsyncEnumerable<IReadOnlyList<ConsumedMessage>> ReadBatchesAsync(TopicReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        TopicManager.ValidateName(options.Topic);
        var partitions = Partitions(options.Topic);
        var deserializer = new AvroDeserializer(_registry);
        using var consumer = _clients.CreateConsumer<byte[]?, byte[]?>(options.Group ?? $"streams-consume-{Guid.NewGuid():N}",
            config => config.AutoOffsetReset = options.FromBeginning ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest);
        var start = options.FromBeginning ? Offset.Beginning : Offset.End;
        var committed = options.Group is null
            ? partitions.Select(p => new TopicPartitionOffset(options.Topic, p, start)).ToList()
            : Committed(consumer, options.Topic, partitions)
                .Select(c => c.Offset.Value >= 0 ? c : new TopicPartitionOffset(c.TopicPartition, start)).ToList();
        consumer.Assign(committed);

        var toCommit = new Dictionary<int, TopicPartitionOffset>();
        var lastCommit = DateTime.UtcNow;
        var lastMessage = DateTime.UtcNow;
        var context = new SerializationContext(MessageComponentType.Value, options.Topic);
        long count = 0;
        try
        {
            while (options.Limit is not { } limit || count < limit)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = new List<ConsumedMessage>();
                var wait = TimeSpan.FromMilliseconds(200);
                while (batch.Count < BatchSize && (options.Limit is not { } most || count < most))
                {
                    // The first message of a batch is waited for; the rest only taken while the consumer has them at hand.
                    var result = Consume(consumer, options.Topic, wait);
                    if (result is null || result.IsPartitionEOF)
                    {
                        break;
                    }

                    wait = TimeSpan.Zero;
                    count++;
                    batch.Add(Decode(deserializer, context, result));
                    if (options.Group is not null)
                    {
                        toCommit[result.Partition.Value] = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);
                    }
                }

                if (batch.Count == 0)
                {
                    if (options.IdleTimeout is { } idle && DateTime.UtcNow - lastMessage > idle)
                    {
                        break;
                    }

                    continue;
                }

                lastMessage = DateTime.UtcNow;
                yield return batch;
                if (options.Group is not null && DateTime.UtcNow - lastCommit > CommitInterval)
                {
                    Commit(consumer, toCommit);
                    lastCommit = DateTime.UtcNow;
                }
            }
        }
        finally
        {
            Commit(consumer, toCommit);
            consumer.Close();
        }
    }

    private static ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, string topic, TimeSpan wait)
    {
        try
        {
            return consumer.Consume(wait);
        }
        catch (ConsumeException e)
        {
            throw new TopicException(TopicError.Broker, $"Reading '{topic}' failed: {e.Error.Reason}", e);
        }
    }

    private static ConsumedMessage Decode(AvroDeserializer deserializer, SerializationContext context, ConsumeResult<byte[]?, byte[]?> result)
    {
        var message = result.Message;
        var key = message.Key is null ? null : Encoding.UTF8.GetString(message.Key);
        var timestamp = message.Timestamp.UtcDateTime;
        var value = message.Value;
        int? schemaId = value is { Length: >= WireFormat.HeaderSize } && value[0] == 0 ? WireFormat.ReadSchemaId(value) : null;
        try
        {
            // Synchronous: the schema is fetched (and waited for) once per id, every later message decodes without a task.
            var record = deserializer.Deserialize(value, value is null, context);
            return new ConsumedMessage(result.Partition.Value, result.Offset.Value, timestamp, key, schemaId, record, null);
        }
        catch (SchemaSerdesException e)
        {
            return new ConsumedMessage(result.Partition.Value, result.Offset.Value, timestamp, key, schemaId, null, e.Message);
        }
    }

    private List<int> Partitions(string topic)
    {
        using var admin = _clients.CreateAdminClient();
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(Timeout);
        }
        catch (KafkaException e)
        {
            throw new TopicException(TopicError.Broker,
                $"Kafka at {_clients.BootstrapServers} did not answer ({e.Error.Reason}): start `streams dev`, or set Streams:Kafka:BootstrapServers.", e);
        }

        var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)
            ?? throw new TopicException(TopicError.NotFound, $"Topic '{topic}' does not exist (streams topics list shows the topics).");
        return found.Partitions.Select(p => p.PartitionId).Order().ToList();
    }

    private static List<TopicPartitionOffset> Committed(IConsumer<byte[]?, byte[]?> consumer, string topic, List<int> partitions)
    {
        try
        {
            return consumer.Committed(partitions.Select(p => new TopicPartition(topic, p)), Timeout);
        }
        catch (KafkaException e)
        {
            throw new TopicException(TopicError.Broker, $"The committed offsets of the group could not be read: {e.Error.Reason}", e);
        }
    }

    private static void Commit(IConsumer<byte[]?, byte[]?> consumer, Dictionary<int, TopicPartitionOffset> offsets)
    {
        if (offsets.Count > 0)
        {
            consumer.Commit(offsets.Values);
            offsets.Clear();
        }
    }
}
