using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streams.Serving.Tests;

/// <summary>Keeps the error-level messages logged through it (category, message and exception), for tests that check a failure was logged.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>The errors logged so far, each as "category: message: exception".</summary>
    public IReadOnlyCollection<string> Errors => [.. _errors];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _errors);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                errors.Enqueue($"{category}: {formatter(state, exception)}: {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }
}
