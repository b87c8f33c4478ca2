using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streams.Catalog.Tests;

/// <summary>A logger that keeps the events it receives, for tests that wait for a component to say it did something.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<EventId> _events = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => _events.Enqueue(eventId);

    /// <summary>Whether <paramref name="eventId"/> was logged, waiting for it until <paramref name="timeout"/>.</summary>
    public bool WaitFor(EventId eventId, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => _events.Contains(eventId), timeout);
}
