using Confluent.Kafka;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Monitoring;

/// <summary>
/// Asks the broker for partitions' low and high watermarks (for lag), over one consumer that joins no group.
/// A partition the broker does not answer for within the timeout is left out, so a status page degrades to
/// "lag unknown" instead of failing. Answers are reused for a second, so a status page polled often, a
/// progress line and a metrics scrape do not queue up behind the broker. Thread-safe: queries are serialised.
/// </summary>
public sealed class TopicWatermarks : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Topic, int Partition), (long Low, long High, long At)> _answers = [];

    /// <summary>Creates the consumer from <paramref name="clients"/>.</summary>
    public TopicWatermarks(KafkaClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _consumer = clients.CreateConsumer<Ignore, Ignore>("streams-status-watermarks");
    }

    /// <summary>The (low, high) watermarks of <paramref name="partitions"/> of <paramref name="topic"/> that the broker answered for.</summary>
    public IReadOnlyDictionary<int, (long Low, long High)> Query(string topic, IEnumerable<int> partitions)
    {
        var answered = new Dictionary<int, (long Low, long High)>();
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                if (_answers.TryGetValue((topic, partition), out var known) && System.Diagnostics.Stopwatch.GetElapsedTime(known.At) < Reuse)
                {
                    answered[partition] = (known.Low, known.High);
                    continue;
                }

                try
                {
                    var offsets = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout);
                    answered[partition] = (offsets.Low.Value, offsets.High.Value);
                    _answers[(topic, partition)] = (offsets.Low.Value, offsets.High.Value, System.Diagnostics.Stopwatch.GetTimestamp());
                }
                catch (KafkaException)
                {
                    // Unknown for now: the status shows no lag for it rather than failing.
                }
            }
        }

        return answered;
    }

    /// <summary>Closes the consumer.</summary>
    public void Dispose() => _consumer.Dispose();
}
