namespace Streams.Pipelines.Transforms;

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
