using Streams.Streaming.Monitoring;

namespace Streams.Api.Status;

/// <summary>The broker watermarks the status endpoints read lag from; made on first use, so a host starts without asking the broker.</summary>
internal sealed class StatusSources(Lazy<TopicWatermarks>? watermarks) : IDisposable
{
    /// <summary>The watermark reader, or null when the host has no Kafka.</summary>
    public TopicWatermarks? Watermarks => watermarks?.Value;

    public void Dispose()
    {
        if (watermarks is { IsValueCreated: true })
        {
            watermarks.Value.Dispose();
        }
    }
}
