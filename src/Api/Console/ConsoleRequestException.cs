namespace Streams.Api.Console;

/// <summary>A console request the host cannot serve as asked: answered with <see cref="Status"/> and the message as JSON.</summary>
internal sealed class ConsoleRequestException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer.</summary>
    public int Status { get; } = status;
}
