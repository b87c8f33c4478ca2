using Microsoft.Extensions.Logging;

namespace Streams.Streaming.Kafka;

/// <summary>
/// Streamiz's log, warnings and errors only, to standard error: its information level announces every
/// task state change, which would drown a foreground command's progress line.
/// </summary>
internal sealed class StreamizLoggerFactory(LogLevel minimum = LogLevel.Warning) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, minimum);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var name = category[(category.LastIndexOf('.') + 1)..];
            Console.Error.WriteLine($"streamiz {logLevel.ToString().ToLowerInvariant()} {name}: {formatter(state, exception)}" +
                                    (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
        }
    }
}
