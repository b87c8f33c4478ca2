using System.Text;
using Confluent.Kafka;
using Streams.Streaming.DeadLetters;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// Produces the test sales (Confluent's serializer) to the 4 partitions of the sales topic, one malformed
/// record of a rotating kind after every 200th sale, and remembers where each landed, so a test can say
/// which dead letters must exist and which view rows.
/// </summary>
internal sealed class SalesProducer : IDisposable
{
    private readonly SpeedStack _stack;
    private readonly SalesEvents _events;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly Dictionary<long, (int Partition, long Offset)> _positions = [];
    private IReadOnlyList<(byte[]? Value, string Reason)>? _bad;

    public SalesProducer(SpeedStack stack)
    {
        _stack = stack;
        _events = new SalesEvents(stack.RegistryUrl);
        _producer = stack.Clients.CreateProducer<byte[]?, byte[]?>();
    }

    public List<Sale> Sales { get; } = [];

    public List<(int Partition, long Offset, string Reason)> Malformed { get; } = [];

    public int Produced => Sales.Count + Malformed.Count;

    /// <summary>
    /// Produces sales <paramref name="first"/> .. first + count - 1, waiting <paramref name="pause"/> after every 50;
    /// with <paramref name="v2"/>, in the compatible schema v2 (auto-registered as the subject's next version).
    /// </summary>
    public async Task ProduceAsync(long first, int count, TimeSpan pause = default, bool v2 = false)
    {
        _bad ??= await _events.MalformedAsync(_stack.Registry);
        for (var n = first; n < first + count; n++)
        {
            var sale = SalesEvents.Make(n);
            var partition = (int)(n % 4);
            var result = await _producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(sale.Customer),
                Value = await _events.SerializeAsync(sale, v2),
            });
            Sales.Add(sale);
            _positions[sale.Id] = (partition, result.Offset.Value);
            if (n % 200 == 50)
            {
                var (value, reason) = _bad[(int)(n / 200 % _bad.Count)];
                var to = (int)(n / 200 % 4);
                var broken = await _producer.ProduceAsync(new TopicPartition(SalesEvents.Topic, to), new Message<byte[]?, byte[]?> { Value = value });
                Malformed.Add((to, broken.Offset.Value, reason));
            }

            if (pause > TimeSpan.Zero && n % 50 == 49)
            {
                await Task.Delay(pause);
            }
        }
    }

    /// <summary>The dead letters the produced records must give, by partition and offset: stage and a fragment of the reason.</summary>
    public List<(int Partition, long Offset, string Stage, string Reason)> ExpectedDeadLetters() =>
        [.. Malformed
            .Select(m => (m.Partition, m.Offset, Stage: KafkaDeadLetter.SchemaStage, m.Reason))
            .Concat(Sales.Where(s => !s.PassesTransforms)
                .Select(s => (_positions[s.Id].Partition, _positions[s.Id].Offset, Stage: "transforms[0] (derive) code_num", Reason: "CAST")))
            .OrderBy(d => d.Item1).ThenBy(d => d.Item2)];

    public void Dispose()
    {
        _producer.Dispose();
        _events.Dispose();
    }
}
