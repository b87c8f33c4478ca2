using Streams.Streaming.Kafka;
using Streams.Streaming.Tests.Speed;

namespace Streams.EndToEnd.Tests;

/// <summary>
/// What each test of <c>streams stream</c> as a process starts from: the speed stack (embedded broker in this process,
/// PostgreSQL, registry, lake), a producer of sales events, a working directory, and the sales topic with its
/// dead-letter topic (4 partitions each). The broker lives in this test process, so only this process can create
/// topics on it (as with <c>streams dev</c>, where <c>streams topics create</c> goes through the dev host).
/// </summary>
public abstract class StreamProcessTestBase(string directoryPrefix) : IAsyncLifetime
{
    /// <summary>The speed stack.</summary>
    private protected SpeedStack Stack { get; private set; } = null!;

    /// <summary>Produces the sales events and remembers what it sent.</summary>
    private protected SalesProducer Producer { get; private set; } = null!;

    /// <summary>The test's working directory (specs, outputs).</summary>
    protected DirectoryInfo WorkDirectory { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Stack = await SpeedStack.StartAsync();
        Producer = new SalesProducer(Stack);
        WorkDirectory = Directory.CreateTempSubdirectory(directoryPrefix);
        await Stack.Topics.CreateAsync(new TopicSpec(SalesEvents.Topic, 4));
        await Stack.Topics.CreateAsync(new TopicSpec(Streams.Streaming.DeadLetters.DeadLetterTopic.NameOf(SalesEvents.Topic), 4));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Producer.Dispose();
        await Stack.DisposeAsync();
        WorkDirectory.Delete(recursive: true);
    }

    /// <summary>
    /// The environment a <c>streams</c> process needs to reach the stack. A killed member holds its partitions until its
    /// session times out, so the timeout is short; <paramref name="archiveFileAge"/> sets how often the archive rolls.
    /// </summary>
    protected Dictionary<string, string> ProcessEnvironment(TimeSpan? archiveFileAge = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["STREAMS__POSTGRES__CONNECTIONSTRING"] = Stack.ConnectionString,
            ["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = Stack.Kafka.BootstrapServers,
            ["STREAMS__REGISTRY__URL"] = Stack.RegistryUrl,
            ["STREAMS__LAKE__ROOT"] = Stack.Lake.FullName,
            ["STREAMS__SPEED__SESSIONTIMEOUT"] = "00:00:06",
        };
        if (archiveFileAge is { } age)
        {
            environment["STREAMS__SPEED__ARCHIVEFILEAGE"] = age.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        return environment;
    }
}
