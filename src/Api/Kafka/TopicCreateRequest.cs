namespace Streams.Api.Kafka;

/// <summary>The body of <c>POST /kafka/topics</c>.</summary>
/// <param name="Name">The topic.</param>
/// <param name="Partitions">The partition count (default 1).</param>
/// <param name="ReplicationFactor">The replica count (default 1).</param>
/// <param name="Configs">Topic configs such as <c>cleanup.policy</c> or <c>retention.ms</c>.</param>
public sealed record TopicCreateRequest(string Name, int Partitions = 1, short ReplicationFactor = 1, Dictionary<string, string>? Configs = null);
