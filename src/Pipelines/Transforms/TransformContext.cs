namespace Streams.Pipelines.Transforms;

/// <summary>What a batch produced besides its main output: dead letters and child outputs (from relationalize).</summary>
public sealed class TransformContext
{
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly Dictionary<string, List<RecordBatch>> _children = new(StringComparer.Ordinal);

    /// <summary>Records that failed, with reasons and positions.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters => _deadLetters;

    /// <summary>Child outputs by name.</summary>
    public IReadOnlyDictionary<string, List<RecordBatch>> Children => _children;

    /// <summary>Sends record <paramref name="index"/> of <paramref name="batch"/> to the dead letters.</summary>
    public void AddDeadLetter(RecordBatch batch, int index, string transform, string reason) =>
        _deadLetters.Add(new DeadLetter(batch.Records[index], batch.PositionOf(index), transform, reason));

    /// <summary>Adds a batch to the child output <paramref name="name"/>.</summary>
    public void AddChild(string name, RecordBatch batch)
    {
        if (!_children.TryGetValue(name, out var list))
        {
            _children[name] = list = [];
        }

        list.Add(batch);
    }
}
