using System.Text.RegularExpressions;
using Streams.Formats.Model;

namespace Streams.Serving;

/// <summary>
/// One pipeline output in the serving layer: its columns, its key (empty for append-only outputs),
/// the time column that splits batch from speed rows at the watermark, and how keyed columns merge.
/// </summary>
public sealed partial record ServingOutputDefinition
{
    /// <summary>Creates and validates a definition.</summary>
    public ServingOutputDefinition(string name, RecordSchema schema, IReadOnlyList<string> keys, string timeColumn,
        IReadOnlyDictionary<string, ColumnMerge>? merges = null)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ServingException(
                $"Serving output name '{name}' is invalid: use lower-case letters, digits and '_' (at most 40), starting with a letter or '_'.");
        }

        foreach (var field in schema.Fields)
        {
            if (!ColumnPattern().IsMatch(field.Name))
            {
                throw new ServingException($"Serving output '{name}': column name '{field.Name}' is invalid (letters, digits, '_').");
            }
        }

        foreach (var column in keys.Append(timeColumn).Concat(merges?.Keys ?? []))
        {
            if (schema.GetField(column) is null)
            {
                throw new ServingException($"Serving output '{name}' names column '{column}', which its schema does not have.");
            }
        }

        if (!keys.Contains(timeColumn) && keys.Count > 0)
        {
            throw new ServingException(
                $"Serving output '{name}': the time column '{timeColumn}' must be part of the key, so that a key lies wholly on one side of the watermark.");
        }

        Name = name;
        Schema = schema;
        Keys = keys;
        TimeColumn = timeColumn;
        Merges = merges ?? new Dictionary<string, ColumnMerge>();
    }

    /// <summary>The output (and merged view) name in schema <c>serving</c>.</summary>
    public string Name { get; }

    /// <summary>The columns.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The key columns; rows with an equal key are upserted. Empty: rows are appended.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The event-time column compared with the batch watermark (a window start for aggregates).</summary>
    public string TimeColumn { get; }

    /// <summary>Merge rules of non-key columns; a column not listed is replaced.</summary>
    public IReadOnlyDictionary<string, ColumnMerge> Merges { get; }

    /// <summary>The merge rule of <paramref name="column"/>.</summary>
    public ColumnMerge MergeOf(string column) => Merges.GetValueOrDefault(column) ?? ColumnMerge.Replace;

    /// <summary>The speed table name.</summary>
    public string SpeedTable => Name + "_speed";

    /// <summary>The batch table name.</summary>
    public string BatchTable => Name + "_batch";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex ColumnPattern();
}
