using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Transforms;

/// <summary>
/// Resolves a field whose schema is a union of several types (a "choice": e.g. a price that is
/// sometimes an int and sometimes a string), as Glue's ResolveChoice does.
/// </summary>
public sealed class ResolveChoiceTransform(string field, ChoiceAction action, string? type = null) : Transform
{
    /// <summary>The top-level field to resolve.</summary>
    public string Field { get; } = field;

    /// <summary>The action.</summary>
    public ChoiceAction Action { get; } = action;

    /// <summary>The target type for cast and project.</summary>
    public string? Type { get; } = type;

    /// <inheritdoc />
    public override string Kind => "resolve_choice";

    /// <inheritdoc />
    public override BoundTransform Bind(RecordSchema input)
    {
        var field = RequireField(input, Field);
        var branches = Schemas.NonNullBranches(field.Schema);
        var replacement = new List<Field>();
        Func<object?, object?[]> resolve;
        switch (Action)
        {
            case ChoiceAction.Cast or ChoiceAction.Project:
                if (Type is null)
                {
                    throw Error($"action {Action.ToString().ToLowerInvariant()} needs a type");
                }

                Schema target;
                try
                {
                    target = UnionSchema.Nullable(SchemaTypeNames.Parse(Type));
                }
                catch (FormatException e)
                {
                    throw Error(e.Message);
                }

                var cast = ModelCast.To(target);
                replacement.Add(new Field(Field, target));
                resolve = Action == ChoiceAction.Cast
                    ? v => [cast(v)]
                    : v =>
                    {
                        try
                        {
                            return [cast(v)];
                        }
                        catch (InvalidCastException)
                        {
                            return [null];
                        }
                    };
                break;
            case ChoiceAction.MakeCols or ChoiceAction.MakeStruct:
                var names = branches.Select(SchemaTypeNames.BranchName).ToList();
                var columns = branches.Select((b, i) => new Field(Action == ChoiceAction.MakeCols ? $"{Field}_{names[i]}" : names[i], UnionSchema.Nullable(b))).ToList();
                var pick = Pick(branches);
                if (Action == ChoiceAction.MakeCols)
                {
                    replacement.AddRange(columns);
                    resolve = v =>
                    {
                        var values = new object?[columns.Count];
                        if (pick(v) is var i and >= 0)
                        {
                            values[i] = v;
                        }

                        return values;
                    };
                }
                else
                {
                    var structSchema = new RecordSchema(new SchemaName(Field, input.Name.FullName), columns);
                    replacement.Add(new Field(Field, Schemas.IsNullable(field.Schema) ? UnionSchema.Nullable(structSchema) : structSchema));
                    resolve = v =>
                    {
                        if (v is null)
                        {
                            return [null];
                        }

                        var values = new object?[columns.Count];
                        if (pick(v) is var i and >= 0)
                        {
                            values[i] = v;
                        }

                        return [new GenericRecord(structSchema, values)];
                    };
                }

                break;
            default:
                throw Error($"unknown action {Action}");
        }

        foreach (var added in replacement.Where(f => f.Name != Field && input.GetField(f.Name) is not null))
        {
            throw Error($"resolving '{Field}' would add '{added.Name}', which the input already has");
        }

        var fields = input.Fields.Take(field.Position).Concat(replacement).Concat(input.Fields.Skip(field.Position + 1)).ToList();
        return new Bound(Schemas.Record(input, fields), field.Position, replacement.Count, resolve, Name);
    }

    /// <summary>The index of the branch a value belongs to (exact CLR type match first, as union writers do).</summary>
    private static Func<object?, int> Pick(IReadOnlyList<Schema> branches) => value =>
    {
        for (var i = 0; i < branches.Count; i++)
        {
            if (ModelCast.Accepts(branches[i], value))
            {
                return i;
            }
        }

        return -1;
    };

    private sealed class Bound(RecordSchema output, int position, int width, Func<object?, object?[]> resolve, string label)
        : RecordTransform(output, label)
    {
        protected override GenericRecord? Apply(GenericRecord record)
        {
            var input = record.Values;
            var values = new object?[Output.Fields.Count];
            input[..position].CopyTo(values);
            resolve(input[position]).CopyTo(values, position);
            input[(position + 1)..].CopyTo(values.AsSpan(position + width));
            return new GenericRecord(Output, values);
        }
    }
}
