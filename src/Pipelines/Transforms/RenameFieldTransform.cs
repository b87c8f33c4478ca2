using Streams.Formats.Model;

namespace Streams.Pipelines.Transforms;

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
