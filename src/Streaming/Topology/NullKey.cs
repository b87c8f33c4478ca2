namespace Streams.Streaming.Topology;

/// <summary>
/// Stands in for a null record key inside the topology. Streamiz skips (logs and drops) every record with a
/// null key that reaches a processor connected to a state store, and the micro-batch processor is connected
/// to its buffer store; so keys are swapped for this one array before it, and back after (by reference, so a
/// real empty key stays an empty key).
/// </summary>
internal static class NullKey
{
    /// <summary>The marker; compared by reference only.</summary>
    public static readonly byte[] Marker = new byte[0];

    /// <summary>The key as the topology carries it.</summary>
    public static byte[] Wrap(byte[]? key) => key ?? Marker;

    /// <summary>The key as it was in the topic.</summary>
    public static byte[]? Unwrap(byte[] key) => ReferenceEquals(key, Marker) ? null : key;
}
