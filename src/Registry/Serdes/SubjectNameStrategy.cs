namespace Streams.Registry.Serdes;

/// <summary>How a serializer names the subject a record's schema is registered under (Confluent's strategies).</summary>
public enum SubjectNameStrategy
{
    /// <summary><c>&lt;topic&gt;-key</c> or <c>&lt;topic&gt;-value</c>: one schema lineage per topic (the default).</summary>
    Topic,

    /// <summary>The record's full name: one lineage per record type, across topics.</summary>
    Record,

    /// <summary><c>&lt;topic&gt;-&lt;record full name&gt;</c>: several record types per topic.</summary>
    TopicRecord,
}

/// <summary>Applies a <see cref="SubjectNameStrategy"/>.</summary>
public static class SubjectNameStrategies
{
    /// <summary>The subject for a key (<paramref name="isKey"/>) or value of <paramref name="recordFullName"/> on <paramref name="topic"/>.</summary>
    public static string SubjectFor(this SubjectNameStrategy strategy, string topic, bool isKey, string recordFullName) => strategy switch
    {
        SubjectNameStrategy.Topic => topic + (isKey ? "-key" : "-value"),
        SubjectNameStrategy.Record => recordFullName,
        SubjectNameStrategy.TopicRecord => topic + "-" + recordFullName,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };
}
