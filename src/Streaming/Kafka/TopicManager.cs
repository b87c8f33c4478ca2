using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Streams.Streaming.Kafka;

/// <summary>
/// The one place that makes, lists, describes and deletes topics, for every part of Streams that needs
/// a topic (pipeline inputs, dead-letter topics, Streamiz internal topics, archives). On Kafka it uses the
/// admin API with the spec's partitions, replicas and configs; on the embedded broker of
/// <c>streams dev</c> (librdkafka's mock cluster, which serves no topic admin API) it uses the mock
/// cluster's own calls, and the embedded broker keeps no topic configs.
/// </summary>
public sealed class TopicManager
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly KafkaClientFactory _clients;
    private readonly MockKafkaCluster? _embedded;

    /// <summary>A manager for the cluster <paramref name="clients"/> reach; <paramref name="embedded"/> when that is this process's mock cluster.</summary>
    public TopicManager(KafkaClientFactory clients, MockKafkaCluster? embedded = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _embedded = embedded;
    }

    /// <summary>Whether the broker is the embedded mock cluster (no configs, no consumer-group listing).</summary>
    public bool IsEmbedded => _embedded is not null;

    /// <summary>Throws <see cref="TopicException"/> unless <paramref name="name"/> is a topic name Kafka accepts.</summary>
    public static void ValidateName(string name)
    {
        var bad = name?.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) ?? default;
        var problem = name switch
        {
            null or "" => "is empty",
            "." or ".." => "cannot be '.' or '..'",
            { Length: > 249 } => $"is {name.Length} characters long; Kafka allows at most 249",
            _ when bad != default => $"contains '{bad}'; Kafka allows only ASCII letters, digits, '.', '_' and '-'",
            _ => null,
        };
        if (problem is not null)
        {
            throw new TopicException(TopicError.Invalid, $"The topic name '{name}' {problem}.");
        }
    }

    /// <summary>Creates the topic unless it exists; returns whether it created it. An existing topic is left as it is.</summary>
    /// <exception cref="TopicException">The spec is invalid or the broker refused.</exception>
    public async Task<bool> EnsureAsync(TopicSpec spec, CancellationToken cancellationToken = default)
    {
        try
        {
            await CreateAsync(spec, cancellationToken);
            return true;
        }
        catch (TopicException e) when (e.Error == TopicError.Exists)
        {
            return false;
        }
    }

    /// <summary>Creates the topic.</summary>
    /// <exception cref="TopicException">It exists (<see cref="TopicError.Exists"/>), the spec is invalid, or the broker refused.</exception>
    public async Task CreateAsync(TopicSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateName(spec.Name);
        if (spec.Partitions < 1)
        {
            throw new TopicException(TopicError.Invalid, $"Topic '{spec.Name}': the partition count must be at least 1, not {spec.Partitions}.");
        }

        if (spec.ReplicationFactor < 1)
        {
            throw new TopicException(TopicError.Invalid, $"Topic '{spec.Name}': the replication factor must be at least 1, not {spec.ReplicationFactor}.");
        }

        if (_embedded is not null)
        {
            if (spec.ReplicationFactor > _embedded.Brokers)
            {
                throw new TopicException(TopicError.Invalid,
                    $"Topic '{spec.Name}': replication factor {spec.ReplicationFactor} exceeds the embedded broker's {_embedded.Brokers} broker(s) (streams dev --brokers N).");
            }

            if (Listing(Metadata()).Any(t => t.Name == spec.Name))
            {
                throw new TopicException(TopicError.Exists, $"Topic '{spec.Name}' exists already.");
            }

            Broker(() => _embedded.CreateTopic(spec.Name, spec.Partitions, spec.ReplicationFactor));
            return;
        }

        using var admin = _clients.CreateAdminClient();
        try
        {
            await admin.CreateTopicsAsync(
                [
                    new TopicSpecification
                    {
                        Name = spec.Name,
                        NumPartitions = spec.Partitions,
                        ReplicationFactor = spec.ReplicationFactor,
                        Configs = spec.Configs.ToDictionary(StringComparer.Ordinal),
                    },
                ],
                new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).WaitAsync(cancellationToken);
        }
        catch (CreateTopicsException e)
        {
            var error = e.Results[0].Error;
            throw error.Code switch
            {
                ErrorCode.TopicAlreadyExists => new TopicException(TopicError.Exists, $"Topic '{spec.Name}' exists already.", e),
                ErrorCode.TopicException or ErrorCode.InvalidPartitions or ErrorCode.InvalidReplicationFactor or ErrorCode.InvalidConfig
                    or ErrorCode.PolicyViolation => new TopicException(TopicError.Invalid, $"Kafka refused topic '{spec.Name}': {error.Reason}", e),
                _ => new TopicException(TopicError.Broker, $"Kafka could not create topic '{spec.Name}': {error.Reason}", e),
            };
        }
        catch (KafkaException e)
        {
            throw BrokerError(e);
        }
    }

    /// <summary>The topics, by name; internal ones (<c>__consumer_offsets</c>...) only when <paramref name="includeInternal"/>.</summary>
    /// <exception cref="TopicException">The broker could not be reached.</exception>
    public IReadOnlyList<TopicListing> List(bool includeInternal = false) =>
        Listing(Metadata()).Where(t => includeInternal || !t.Name.StartsWith("__", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Describes a topic: partitions with replicas and watermarks; on Kafka also its configs and every consumer
    /// group with committed offsets on it. <paramref name="groups"/> are looked up on any broker (the embedded one
    /// cannot list groups, but it answers for a named group).
    /// </summary>
    /// <exception cref="TopicException">No such topic, or the broker could not be reached.</exception>
    public async Task<TopicDescription> DescribeAsync(string topic, IReadOnlyCollection<string>? groups = null,
        CancellationToken cancellationToken = default)
    {
        ValidateName(topic);
        var metadata = Metadata().Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code != ErrorCode.UnknownTopicOrPart);
        if (metadata is null)
        {
            throw new TopicException(TopicError.NotFound, $"Topic '{topic}' does not exist (streams topics list shows the topics).");
        }

        var unavailable = new List<string>();
        using var consumer = _clients.CreateConsumer<Ignore, Ignore>("streams-topics-describe");
        var partitions = new List<PartitionDescription>();
        foreach (var p in metadata.Partitions.OrderBy(p => p.PartitionId))
        {
            var offsets = Broker(() => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), Timeout));
            partitions.Add(new PartitionDescription(p.PartitionId, p.Leader, p.Replicas, p.InSyncReplicas, offsets.Low.Value, offsets.High.Value));
        }

        IReadOnlyDictionary<string, string>? configs = null;
        var groupIds = new SortedSet<string>(groups ?? [], StringComparer.Ordinal);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_embedded is not null)
        {
            unavailable.Add("configs: the embedded broker (librdkafka's mock cluster) keeps no topic configs and serves no DescribeConfigs");
            unavailable.Add("consumer groups: the embedded broker serves no ListConsumerGroups/DescribeConsumerGroups; name groups with --group to see their lag");
        }
        else
        {
            using var admin = _clients.CreateAdminClient();
            try
            {
                var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }],
                    new DescribeConfigsOptions { RequestTimeout = Timeout }).WaitAsync(cancellationToken);
                configs = described[0].Entries.Values.Where(e => !e.IsDefault && e.Value is not null)
                    .OrderBy(e => e.Name, StringComparer.Ordinal).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            }
            catch (KafkaException e)
            {
                unavailable.Add("configs: " + e.Error.Reason);
            }

            try
            {
                var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Timeout }).WaitAsync(cancellationToken);
                foreach (var group in listed.Valid)
                {
                    groupIds.Add(group.GroupId);
                    states[group.GroupId] = group.State.ToString();
                }
            }
            catch (KafkaException e)
            {
                unavailable.Add("consumer groups: " + e.Error.Reason);
            }
        }

        var lags = new List<GroupLag>();
        foreach (var group in groupIds)
        {
            using var member = _clients.CreateConsumer<Ignore, Ignore>(group);
            var committed = Broker(() => member.Committed(partitions.Select(p => new TopicPartition(topic, p.Id)), Timeout));
            var byPartition = committed.Where(c => c.Offset.Value >= 0)
                .Select(c => new PartitionLag(c.Partition.Value, c.Offset.Value,
                    Math.Max(0, partitions.First(p => p.Id == c.Partition.Value).High - c.Offset.Value)))
                .OrderBy(l => l.Partition).ToList();
            if (byPartition.Count > 0 || groups?.Contains(group) == true)
            {
                lags.Add(new GroupLag(group, states.GetValueOrDefault(group), byPartition));
            }
        }

        return new TopicDescription(topic, partitions, configs, _embedded is null || groupIds.Count > 0 ? lags : null, unavailable);
    }

    /// <summary>Deletes a topic and its records.</summary>
    /// <exception cref="TopicException">No such topic, or the broker refused.</exception>
    public async Task DeleteAsync(string topic, CancellationToken cancellationToken = default)
    {
        ValidateName(topic);
        if (!Listing(Metadata()).Any(t => t.Name == topic))
        {
            throw new TopicException(TopicError.NotFound, $"Topic '{topic}' does not exist (streams topics list shows the topics).");
        }

        if (_embedded is not null)
        {
            Broker(() => _embedded.DeleteTopic(topic));
            return;
        }

        using var admin = _clients.CreateAdminClient();
        try
        {
            await admin.DeleteTopicsAsync([topic], new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout })
                .WaitAsync(cancellationToken);
        }
        catch (DeleteTopicsException e)
        {
            throw new TopicException(TopicError.Broker, $"Kafka could not delete topic '{topic}': {e.Results[0].Error.Reason}", e);
        }
        catch (KafkaException e)
        {
            throw BrokerError(e);
        }
    }

    private Metadata Metadata()
    {
        using var admin = _clients.CreateAdminClient();
        return Broker(() => admin.GetMetadata(Timeout));
    }

    private static IEnumerable<TopicListing> Listing(Metadata metadata) =>
        metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError)
            .Select(t => new TopicListing(t.Topic, t.Partitions.Count, t.Partitions.Count == 0 ? 0 : t.Partitions[0].Replicas.Length))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private T Broker<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (KafkaException e)
        {
            throw BrokerError(e);
        }
    }

    private void Broker(Action call) => Broker(() =>
    {
        call();
        return 0;
    });

    private TopicException BrokerError(KafkaException e) => e.Error.Code switch
    {
        ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut =>
            new TopicException(TopicError.Broker,
                $"Kafka at {_clients.BootstrapServers} did not answer ({e.Error.Reason}): start `streams dev`, or set Streams:Kafka:BootstrapServers.", e),
        ErrorCode.TopicAlreadyExists => new TopicException(TopicError.Exists, e.Error.Reason, e),
        ErrorCode.UnknownTopicOrPart => new TopicException(TopicError.NotFound, e.Error.Reason, e),
        _ => new TopicException(TopicError.Broker, $"Kafka at {_clients.BootstrapServers}: {e.Error.Reason}", e),
    };
}
