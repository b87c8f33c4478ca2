namespace Streams.Api.Glue;

/// <summary>Every registered <see cref="IGlueOperationSet"/>'s operations in one lookup, built once.</summary>
internal sealed class GlueOperationTable
{
    private readonly Dictionary<string, GlueOperation> _operations = new(StringComparer.Ordinal);

    public GlueOperationTable(IEnumerable<IGlueOperationSet> sets)
    {
        foreach (var set in sets)
        {
            foreach (var (name, operation) in set.Operations)
            {
                if (!_operations.TryAdd(name, operation))
                {
                    throw new InvalidOperationException($"Glue operation {name} is registered by two operation sets.");
                }
            }
        }
    }

    public bool TryGet(string name, out GlueOperation operation) => _operations.TryGetValue(name, out operation!);
}
