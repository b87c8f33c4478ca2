using Streams.Streaming.Kafka;

namespace Streams.Streaming.Tests.Speed;

/// <summary>
/// What each in-process speed-layer test of the sales pipeline starts from: the speed stack (embedded broker, PostgreSQL,
/// registry, lake), a producer of sales that remembers what it sent, and the 4-partition sales topic.
/// </summary>
public abstract class SalesStreamTestBase : IAsyncLifetime
{
    /// <summary>The speed stack.</summary>
    private protected SpeedStack Stack { get; private set; } = null!;

    /// <summary>Produces the sales events and remembers what it sent.</summary>
    private protected SalesProducer Producer { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Stack = await SpeedStack.StartAsync();
        Producer = new SalesProducer(Stack);
        await Stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Producer.Dispose();
        await Stack.DisposeAsync();
    }

    /// <summary>Waits (90 s at most) until <paramref name="layer"/> has consumed everything produced since it started.</summary>
    private protected async Task ConsumeAllAsync(SpeedLayer layer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (layer.Metrics.RecordsIn < Producer.Produced)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the layer should consume {Producer.Produced} records (state {layer.State})");
            await Task.Delay(100);
        }
    }
}
