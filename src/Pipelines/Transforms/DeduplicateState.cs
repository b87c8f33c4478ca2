using System.Text;
using System.Text.Json;
using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// The keys a <see cref="DeduplicateTransform"/> has seen in one runner. Keys compare by value in memory;
/// saved keys are their JSON arrays (<see cref="ModelJson"/>), which are rendered only for new keys and,
/// after a restore, to look a key up among the restored ones.
/// </summary>
public sealed class DeduplicateState : ITransformState
{
    private readonly HashSet<object?[]> _seen = new(KeyComparer.Instance);
    private readonly HashSet<string> _restored = new(StringComparer.Ordinal);
    private List<object?[]> _added = [];

    /// <summary>The number of keys seen (restored ones included).</summary>
    public int Count => _seen.Count + _restored.Count;

    /// <summary>Records <paramref name="key"/>; false when it was seen before.</summary>
    internal bool Add(object?[] key)
    {
        if (_seen.Contains(key) || (_restored.Count > 0 && _restored.Contains(Text(key))))
        {
            return false;
        }

        _seen.Add(key);
        _added.Add(key);
        return true;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> TakeAdded()
    {
        var added = _added;
        _added = [];
        return [.. added.Select(Text)];
    }

    /// <inheritdoc />
    public void Restore(IEnumerable<string> entries) => _restored.UnionWith(entries);

    /// <summary>The saved form of a key: its values as a JSON array.</summary>
    private static string Text(object?[] key)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in key)
            {
                ModelJson.Write(json, value);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
