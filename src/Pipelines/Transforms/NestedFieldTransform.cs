using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

/// <summary>A transform that edits the fields of records at dotted paths (top-level or nested).</summary>
public abstract class NestedFieldTransform : Transform
{
    /// <inheritdoc />
    public sealed override BoundTransform Bind(RecordSchema input)
    {
        var schema = input;
        Func<GenericRecord, GenericRecord>? convert = null;
        foreach (var (parent, edit) in Edits())
        {
            var (next, step) = RecordRewriter.Edit(schema, parent, edit, d => Error(d));
            var previous = convert;
            convert = previous is null ? step : r => step(previous(r));
            schema = next;
        }

        return new Bound(schema, convert ?? (r => r), Name);
    }

    /// <summary>The edits to apply in order: the path of the record to edit (empty: the root) and the edit.</summary>
    private protected abstract IEnumerable<(IReadOnlyList<string> Parent, RecordRewriter.FieldEdit Edit)> Edits();

    /// <summary>Splits <c>a.b.c</c> into the parent path <c>[a, b]</c> and the name <c>c</c>.</summary>
    private protected static (IReadOnlyList<string> Parent, string Name) Split(string path)
    {
        var segments = path.Split('.');
        return (segments[..^1], segments[^1]);
    }

    private protected static string Describe(RecordSchema record) => string.Join(", ", record.Fields.Select(f => f.Name));

    private sealed class Bound(RecordSchema output, Func<GenericRecord, GenericRecord> convert, string label) : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record) => convert(record);
    }
}
