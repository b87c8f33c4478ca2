using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streams.Streaming.DeadLetters;

/// <summary>
/// The dead-letter topic <c>&lt;topic&gt;.dlq</c>: each rejected record's original key and value, with the
/// reason and the source position in headers (<c>streams.reason</c>, <c>streams.stage</c>,
/// <c>streams.source.topic</c>, <c>streams.source.partition</c>, <c>streams.source.offset</c>,
/// <c>streams.source.timestamp</c>, <c>streams.schema.id</c>). Sent and acknowledged before the micro-batch
/// commits in PostgreSQL, so a crash between the two re-sends (at least once on the topic, deduplicate by the
/// source headers) but never loses one; the table holds each exactly once.
/// </summary>
public sealed class DeadLetterTopic : IDisposable
{
    /// <summary>The header that carries the reason.</summary>
    public const string ReasonHeader = "streams.reason";

    private readonly IProducer<byte[]?, byte[]?> _producer;

    /// <summary>Sends to the dead-letter topic of <paramref name="sourceTopic"/> with <paramref name="producer"/> (owned).</summary>
    public DeadLetterTopic(string sourceTopic, IProducer<byte[]?, byte[]?> producer)
    {
        Name = NameOf(sourceTopic);
        _producer = producer;
    }

    /// <summary>The dead-letter topic name.</summary>
    public string Name { get; }

    /// <summary>The dead-letter topic of <paramref name="sourceTopic"/>.</summary>
    public static string NameOf(string sourceTopic) => sourceTopic + ".dlq";

    /// <summary>Sends <paramref name="deadLetters"/> and waits until the broker acknowledged every one.</summary>
    /// <exception cref="ProduceException{TKey, TValue}">One was not acknowledged; the micro-batch must not commit.</exception>
    public async Task SendAsync(IReadOnlyList<KafkaDeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        await Task.WhenAll(deadLetters.Select(d => _producer.ProduceAsync(Name, Message(d), cancellationToken)));
    }

    /// <summary>Closes the producer (anything in flight was awaited by <see cref="SendAsync"/>).</summary>
    public void Dispose() => _producer.Dispose();

    private static Message<byte[]?, byte[]?> Message(KafkaDeadLetter dead)
    {
        var record = dead.Record;
        var headers = new Headers
        {
            { ReasonHeader, Encoding.UTF8.GetBytes(dead.Reason) },
            { "streams.stage", Encoding.UTF8.GetBytes(dead.Stage) },
            { "streams.source.topic", Encoding.UTF8.GetBytes(record.Topic) },
            { "streams.source.partition", Text(record.Partition) },
            { "streams.source.offset", Text(record.Offset) },
            { "streams.source.timestamp", Encoding.UTF8.GetBytes(record.Timestamp.ToString("O", CultureInfo.InvariantCulture)) },
        };
        if (dead.SchemaId is { } id)
        {
            headers.Add("streams.schema.id", Text(id));
        }

        return new Message<byte[]?, byte[]?>
        {
            Key = record.Key,
            Value = record.Value,
            Timestamp = new Timestamp(record.Timestamp, TimestampType.CreateTime),
            Headers = headers,
        };
    }

    private static byte[] Text(long value) => Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
