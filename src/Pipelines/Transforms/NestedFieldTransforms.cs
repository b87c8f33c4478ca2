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

/// <summary>Removes fields; dotted paths (<c>address.zip</c>) remove fields of nested records.</summary>
public sealed class DropFieldsTransform(IReadOnlyList<string> fields) : NestedFieldTransform
{
    /// <summary>The fields to remove.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <inheritdoc />
    public override string Kind => "drop_fields";

    private protected override IEnumerable<(IReadOnlyList<string>, RecordRewriter.FieldEdit)> Edits() =>
        Fields.Select(Split).GroupBy(p => string.Join('.', p.Parent)).Select(group =>
        {
            var names = group.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            RecordRewriter.FieldEdit edit = (record, path) =>
            {
                foreach (var name in names.Where(n => record.GetField(n) is null))
                {
                    throw Error($"unknown field '{(path.Length == 0 ? name : $"{path}.{name}")}'; {(path.Length == 0 ? "the input" : $"'{path}'")} has fields {Describe(record)}");
                }

                var kept = record.Fields.Where(f => !names.Contains(f.Name)).ToList();
                return (kept, kept.Select(f => f.Position).ToArray());
            };
            return (group.First().Parent, edit);
        });
}

/// <summary>Renames a field in place; a dotted path (<c>address.zip</c>) renames a field of a nested record.</summary>
public sealed class RenameFieldTransform(string from, string to) : NestedFieldTransform
{
    /// <summary>The path of the field to rename.</summary>
    public string From { get; } = from;

    /// <summary>The new name (a name, not a path: the field stays where it is).</summary>
    public string To { get; } = to;

    /// <inheritdoc />
    public override string Kind => "rename_field";

    private protected override IEnumerable<(IReadOnlyList<string>, RecordRewriter.FieldEdit)> Edits()
    {
        var (parent, name) = Split(From);
        RecordRewriter.FieldEdit edit = (record, path) =>
        {
            if (record.GetField(name) is null)
            {
                throw Error($"unknown field '{From}'; {(path.Length == 0 ? "the input" : $"'{path}'")} has fields {Describe(record)}");
            }

            if (name != To && record.GetField(To) is not null)
            {
                throw Error($"cannot rename '{From}' to '{To}': {(path.Length == 0 ? "the input" : $"'{path}'")} already has a field '{To}'");
            }

            var fields = record.Fields.Select(f => f.Name == name ? new Field(To, f.Schema) : f).ToList();
            return (fields, record.Fields.Select(f => f.Position).ToArray());
        };
        yield return (parent, edit);
    }
}
