using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>Compares key tuples by value (<see cref="ValueEquality"/>), for grouping and deduplication.</summary>
internal sealed class KeyComparer : IEqualityComparer<object?[]>
{
    public static KeyComparer Instance { get; } = new();

    public bool Equals(object?[]? x, object?[]? y) => ValueEquality.Instance.Equals(x, y);

    public int GetHashCode(object?[] key)
    {
        var hash = new HashCode();
        foreach (var value in key)
        {
            hash.Add(ValueEquality.Instance.GetHashCode(value));
        }

        return hash.ToHashCode();
    }
}
