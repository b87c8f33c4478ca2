using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// Resolves a writer's schema against a reader's (Avro 1.11 specification, "Schema Resolution") into a tree a
/// decoder compiles once.
/// </summary>
/// <remarks>
/// <para>
/// Rules: primitives read as themselves or promoted (int to long, float, double; long to float, double; float to
/// double; string to bytes and bytes to string); records, enums and fixed match when their unqualified names
/// are equal or a reader alias is the writer's full name, fixed also by size; records match fields by name or
/// reader field alias, skip writer-only fields and fill reader-only fields from their defaults; enums map the
/// writer's symbols by name, unknown ones to the reader's default symbol; arrays and maps resolve their items
/// and values; a reader union takes a writer value into its branch of the same type (and full name), else the
/// first branch that matches by name or promotion (so an <c>int</c> goes to the <c>int</c> branch of
/// <c>["long","int"]</c> but to the <c>long</c> branch of <c>["long","string"]</c>); a writer union resolves each
/// of its branches.
/// </para>
/// <para>
/// Two decimals match only with equal precision and scale, as the specification's "Decimal" section says (the
/// Java and Python compatibility checkers ignore logical types). Other logical types take no part.
/// </para>
/// <para>
/// What makes every datum unreadable is an error of the resolution (<see cref="SchemaResolution.Errors"/>, all of
/// them, each with the reader's path). What only some data would hit (a writer union branch the reader cannot
/// read, a writer enum symbol the reader lacks and has no default for) stays in the tree as an error raised when
/// such data is read, as the specification says, and is listed in <see cref="SchemaResolution.RuntimeErrors"/>.
/// When no branch of a writer union can be read, no datum can: that is an error of the resolution.
/// </para>
/// </remarks>
public static class SchemaResolver
{
    /// <summary>Resolves <paramref name="writer"/> (the schema data was written with) against <paramref name="reader"/>.</summary>
    public static SchemaResolution Resolve(Schema writer, Schema reader)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        var state = new State();
        var errors = new List<SchemaIncompatibility>();
        var root = state.Resolve(writer, reader, "", errors);
        return new SchemaResolution(root, Distinct(errors), Distinct(state.Runtime));
    }

    /// <summary>The promotion that reads a <paramref name="writer"/> primitive as a <paramref name="reader"/> one, or <c>null</c>.</summary>
    public static Promotion? PromotionOf(SchemaType writer, SchemaType reader) => (writer, reader) switch
    {
        _ when writer == reader => Promotion.None,
        (SchemaType.Int, SchemaType.Long) => Promotion.IntToLong,
        (SchemaType.Int, SchemaType.Float) => Promotion.IntToFloat,
        (SchemaType.Int, SchemaType.Double) => Promotion.IntToDouble,
        (SchemaType.Long, SchemaType.Float) => Promotion.LongToFloat,
        (SchemaType.Long, SchemaType.Double) => Promotion.LongToDouble,
        (SchemaType.Float, SchemaType.Double) => Promotion.FloatToDouble,
        (SchemaType.String, SchemaType.Bytes) => Promotion.StringToBytes,
        (SchemaType.Bytes, SchemaType.String) => Promotion.BytesToString,
        _ => null,
    };

    /// <summary>
    /// True when named types match for resolution: equal unqualified names (the specification's rule), or a
    /// reader alias equal to the writer's full name.
    /// </summary>
    public static bool NamesMatch(NamedSchema writer, NamedSchema reader) =>
        writer.Name.Name == reader.Name.Name || reader.Aliases.Any(a => a.FullName == writer.FullName);

    private static List<SchemaIncompatibility> Distinct(List<SchemaIncompatibility> list) => list.Distinct().ToList();

    private static bool IsPrimitive(Schema s) => s.Type <= SchemaType.String;

    private sealed class State
    {
        // Records are resolved once per pair so that recursive types give a finite graph. Errors is null while
        // the pair is being resolved (a recursive reference then adds nothing: the outer resolution reports).
        private readonly Dictionary<(RecordSchema, RecordSchema), (RecordResolution Node, List<SchemaIncompatibility>? Errors)> _records = [];

        public List<SchemaIncompatibility> Runtime { get; } = [];

        public ResolutionNode Resolve(Schema writer, Schema reader, string path, List<SchemaIncompatibility> errors)
        {
            if (writer is UnionSchema writerUnion)
            {
                return ResolveWriterUnion(writerUnion, reader, path, errors);
            }

            if (reader is UnionSchema readerUnion)
            {
                return ResolveReaderUnion(writer, readerUnion, path, errors);
            }

            switch (writer, reader)
            {
                case (_, _) when IsPrimitive(writer) && IsPrimitive(reader)
                    && PromotionOf(writer.Type, reader.Type) is { } promotion:
                    return DecimalMismatch(writer, reader) is { } decimalMessage
                        ? Fail(writer, reader, path, decimalMessage, errors)
                        : new DirectResolution(writer, reader, promotion);
                case (RecordSchema w, RecordSchema r):
                    return NamesMatch(w, r)
                        ? ResolveRecord(w, r, path.Length == 0 ? r.FullName : path, errors)
                        : Fail(writer, reader, path, NameMismatch(w, r), errors);
                case (EnumSchema w, EnumSchema r):
                    return NamesMatch(w, r) ? ResolveEnum(w, r, path.Length == 0 ? r.FullName : path) : Fail(writer, reader, path, NameMismatch(w, r), errors);
                case (FixedSchema w, FixedSchema r):
                    if (!NamesMatch(w, r))
                    {
                        return Fail(writer, reader, path, NameMismatch(w, r), errors);
                    }

                    if (w.Size != r.Size)
                    {
                        return Fail(writer, reader, path.Length == 0 ? r.FullName : path,
                            $"the writer's fixed {w.FullName} has {w.Size} bytes but the reader's fixed {r.FullName} has {r.Size}", errors);
                    }

                    return DecimalMismatch(writer, reader) is { } message
                        ? Fail(writer, reader, path.Length == 0 ? r.FullName : path, message, errors)
                        : new DirectResolution(writer, reader, Promotion.None);
                case (ArraySchema w, ArraySchema r):
                    return new ArrayResolution(w, r, Resolve(w.Items, r.Items, SchemaPath.Items(path), errors));
                case (MapSchema w, MapSchema r):
                    return new MapResolution(w, r, Resolve(w.Values, r.Values, SchemaPath.Values(path), errors));
                default:
                    return Fail(writer, reader, path,
                        $"the writer's {writer.DisplayName} cannot be read as the reader's {reader.DisplayName}", errors);
            }
        }

        /// <summary>
        /// The specification's "Decimal" section: two decimal schemas match only when their precisions and scales
        /// are equal (a different scale would read every value multiplied by a power of ten).
        /// </summary>
        private static string? DecimalMismatch(Schema writer, Schema reader) =>
            writer.LogicalType is { Name: LogicalType.DecimalName } w && reader.LogicalType is { Name: LogicalType.DecimalName } r
            && (w.Precision != r.Precision || w.Scale != r.Scale)
                ? $"the writer's decimal({w.Precision}, {w.Scale}) and the reader's decimal({r.Precision}, {r.Scale}) differ; decimals match only with the same precision and scale"
                : null;

        private static string NameMismatch(NamedSchema w, NamedSchema r) =>
            $"the writer's {w.DisplayName} and the reader's {r.DisplayName} have different names"
            + (r.Aliases.Count == 0 ? "" : $" and no reader alias is {w.FullName}");

        private static FailedResolution Fail(Schema writer, Schema reader, string path, string message,
            List<SchemaIncompatibility> errors)
        {
            var reason = new SchemaIncompatibility(path, message);
            errors.Add(reason);
            return new FailedResolution(writer, reader, [reason]);
        }

        private ResolutionNode ResolveWriterUnion(UnionSchema writer, Schema reader, string path, List<SchemaIncompatibility> errors)
        {
            var branches = new List<ResolutionNode>(writer.Branches.Count);
            var failures = new List<SchemaIncompatibility>();
            var failedBranches = 0;
            for (var i = 0; i < writer.Branches.Count; i++)
            {
                var branch = writer.Branches[i];
                var local = new List<SchemaIncompatibility>();
                var node = Resolve(branch, reader, path, local);
                if (local.Count == 0)
                {
                    branches.Add(node);
                    continue;
                }

                var reasons = local
                    .Select(e => e with { Message = $"when the writer's {writer.DisplayName} holds branch {i} ({branch.DisplayName}): {e.Message}" })
                    .ToList();
                branches.Add(new FailedResolution(branch, reader, reasons));
                failures.AddRange(reasons);
                failedBranches++;
            }

            // Some data can still be read unless every branch fails.
            (failedBranches == writer.Branches.Count ? errors : Runtime).AddRange(failures);
            return new WriterUnionResolution(writer, reader, branches);
        }

        private ResolutionNode ResolveReaderUnion(Schema writer, UnionSchema reader, string path, List<SchemaIncompatibility> errors)
        {
            var index = FindBranch(writer, reader);
            if (index < 0)
            {
                return Fail(writer, reader, path,
                    $"the reader's {reader.DisplayName} has no branch that can read the writer's {writer.DisplayName}", errors);
            }

            var branch = Resolve(writer, reader.Branches[index], SchemaPath.Branch(path, index), errors);
            return new ReaderUnionResolution(writer, reader, index, branch);
        }

        /// <summary>
        /// The reader branch for a writer schema: a branch of the same type (and full name) first, else the first that
        /// matches by unqualified name or alias, else the first the writer's type promotes to. The specification
        /// says "the first that matches", which would read the long branch of a writer's <c>["double","long"]</c>
        /// as the reader's double when both schemas are that same union; like Java, exact matches come first.
        /// </summary>
        private static int FindBranch(Schema writer, UnionSchema reader)
        {
            var branches = reader.Branches;
            for (var i = 0; i < branches.Count; i++)
            {
                if (branches[i].Type == writer.Type
                    && (writer is not NamedSchema w || ((NamedSchema)branches[i]).FullName == w.FullName))
                {
                    return i;
                }
            }

            for (var i = 0; i < branches.Count; i++)
            {
                var branch = branches[i];
                var matches = (writer, branch) switch
                {
                    (NamedSchema w, NamedSchema r) => w.Type == r.Type && NamesMatch(w, r),
                    _ when IsPrimitive(writer) && IsPrimitive(branch) => PromotionOf(writer.Type, branch.Type) is not null,
                    _ => false,
                };
                if (matches)
                {
                    return i;
                }
            }

            return -1;
        }

        private EnumResolution ResolveEnum(EnumSchema writer, EnumSchema reader, string path)
        {
            var node = new EnumResolution(writer, reader);
            var unreadable = node.UnreadableSymbols.ToList();
            if (unreadable.Count > 0)
            {
                Runtime.Add(new SchemaIncompatibility(path,
                    $"the writer's enum {writer.FullName} has symbol{(unreadable.Count == 1 ? "" : "s")} "
                    + $"{string.Join(", ", unreadable.Select(s => $"'{s}'"))} that the reader's enum {reader.FullName} lacks, and the reader's enum has no default"));
            }

            return node;
        }

        private RecordResolution ResolveRecord(RecordSchema writer, RecordSchema reader, string path, List<SchemaIncompatibility> errors)
        {
            if (_records.TryGetValue((writer, reader), out var known))
            {
                if (known.Errors is not null)
                {
                    errors.AddRange(known.Errors);
                }

                return known.Node;
            }

            var node = new RecordResolution(writer, reader);
            _records[(writer, reader)] = (node, null);
            var local = new List<SchemaIncompatibility>();

            // Which reader field each writer field feeds: by name, else by the reader field's aliases.
            var feeds = new Dictionary<Field, Field>();
            var defaults = new List<ReaderFieldDefault>();
            foreach (var readerField in reader.Fields)
            {
                var fieldPath = SchemaPath.Field(path, readerField.Name);
                var writerField = writer.GetField(readerField.Name)
                    ?? readerField.Aliases.Select(writer.GetField).FirstOrDefault(f => f is not null);
                if (writerField is not null)
                {
                    if (feeds.TryGetValue(writerField, out var other))
                    {
                        local.Add(new SchemaIncompatibility(fieldPath,
                            $"reader fields '{other.Name}' and '{readerField.Name}' of {reader.FullName} both match the writer's field '{writerField.Name}'"));
                        continue;
                    }

                    feeds.Add(writerField, readerField);
                }
                else if (!readerField.HasDefault)
                {
                    local.Add(new SchemaIncompatibility(fieldPath,
                        $"reader field '{readerField.Name}' at {fieldPath} has no default and is missing from the writer's record {writer.FullName}"));
                }
                else
                {
                    try
                    {
                        defaults.Add(new ReaderFieldDefault(readerField, AvroJsonDecoder.DefaultValue(readerField)));
                    }
                    catch (AvroValueException e)
                    {
                        local.Add(new SchemaIncompatibility(fieldPath,
                            $"reader field '{readerField.Name}' is missing from the writer and its default is invalid: {e.Reason}"));
                    }
                }
            }

            var writerFields = new List<WriterFieldResolution>(writer.Fields.Count);
            foreach (var writerField in writer.Fields)
            {
                writerFields.Add(feeds.TryGetValue(writerField, out var readerField)
                    ? new WriterFieldResolution(writerField, readerField,
                        Resolve(writerField.Schema, readerField.Schema, SchemaPath.Field(path, readerField.Name), local))
                    : new WriterFieldResolution(writerField, null, null));
            }

            node.Complete(writerFields, defaults);
            _records[(writer, reader)] = (node, local);
            errors.AddRange(local);
            return node;
        }
    }
}
