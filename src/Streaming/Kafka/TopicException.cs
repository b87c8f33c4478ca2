namespace Streams.Streaming.Kafka;

/// <summary>A topic operation failed; the message says what to do.</summary>
public sealed class TopicException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TopicException(TopicError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>What kind of failure it was.</summary>
    public TopicError Error { get; }
}

/// <summary>The kinds of <see cref="TopicException"/>.</summary>
public enum TopicError
{
    /// <summary>The name or a setting is not one Kafka accepts.</summary>
    Invalid,

    /// <summary>No such topic.</summary>
    NotFound,

    /// <summary>The topic exists already.</summary>
    Exists,

    /// <summary>The broker could not be reached or refused.</summary>
    Broker,
}
