using System.Collections;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// Compiles a resolution tree into a function that turns a model value of the writer's schema into the value a
/// resolving decoder would have read with the reader's schema: fields matched, skipped or defaulted, numbers
/// promoted, enum symbols mapped, union values moved to the reader's branch. This serves data already decoded
/// with an old schema (a lake file's records, say) that must be presented in the current one.
/// </summary>
/// <remarks>
/// Logical types follow the binary semantics of the specification: the writer's value is taken to its
/// underlying type, promoted, and read with the reader's logical type. Strings and byte arrays of the input
/// are shared with the output, never copied; lists, maps and records are new.
/// </remarks>
public static class ResolvedValueConverter
{
    /// <summary>Compiles the root of a successful resolution.</summary>
    /// <exception cref="SchemaResolutionException">The resolution failed.</exception>
    public static Func<object?, object?> Compile(SchemaResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return Compile(resolution.GetRoot());
    }

    /// <summary>
    /// Compiles <paramref name="resolution"/>. The function throws <see cref="AvroValueException"/> (with the reader's
    /// path) for data the resolution defers as an error, and for a value that is not of the writer's schema.
    /// </summary>
    public static Func<object?, object?> Compile(ResolutionNode resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var root = resolution.Reader is NamedSchema named ? named.FullName : "";
        return new Compiler().Compile(resolution, root);
    }

    private sealed class Compiler
    {
        // One converter per record pair, so recursive schemas compile to a finite set of closures.
        private readonly Dictionary<RecordResolution, Func<object?, object?>> _records = [];

        public Func<object?, object?> Compile(ResolutionNode resolution, string path) => resolution switch
        {
            DirectResolution direct => Direct(direct, path),
            RecordResolution record => Record(record, path),
            EnumResolution e => value => e.MapSymbol(WriterIndex(e.Writer, value, path), path),
            ArrayResolution array => Array(array, path),
            MapResolution map => Map(map, path),
            WriterUnionResolution union => WriterUnion(union, path),
            ReaderUnionResolution union => Compile(union.Branch, SchemaPath.Branch(path, union.BranchIndex)),
            FailedResolution failed => _ => throw failed.CreateException(path),
            _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Unknown resolution node."),
        };

        private static Func<object?, object?> Direct(DirectResolution direct, string path)
        {
            var writer = direct.Writer;
            var reader = direct.Reader;
            if (direct.Promotion == Promotion.None && writer.LogicalType == reader.LogicalType)
            {
                return value => UnionBranchSelector.Accepts(writer, value) ? Widen(value!, writer.Type) : throw NotAValue(writer, value, path);
            }

            return value =>
            {
                if (value is null || !UnionBranchSelector.Accepts(writer, value))
                {
                    throw NotAValue(writer, value, path);
                }

                var underlying = AvroLogicalValues.ToUnderlying(writer, value, path);
                var promoted = direct.Promote(Widen(underlying, writer.Type), path)!;
                return AvroLogicalValues.ToLogical(reader, promoted, path);
            };
        }

        // The model lets an int stand for a long and an int or long for a float or double; the reader gets its own type.
        private static object? Widen(object? value, SchemaType type) => (type, value) switch
        {
            (SchemaType.Long, int i) => (long)i,
            (SchemaType.Float, int i) => (float)i,
            (SchemaType.Float, long l) => (float)l,
            (SchemaType.Double, int i) => (double)i,
            (SchemaType.Double, long l) => (double)l,
            (SchemaType.Double, float f) => (double)f,
            _ => value,
        };

        private Func<object?, object?> Record(RecordResolution record, string path)
        {
            if (_records.TryGetValue(record, out var known))
            {
                return known;
            }

            Func<object?, object?>? compiled = null;
            Func<object?, object?> indirect = value => compiled!(value);
            _records[record] = indirect;

            var writer = record.Writer;
            var reader = record.Reader;
            var moves = record.WriterFields
                .Where(f => !f.IsSkipped)
                .Select(f => (From: f.WriterField, To: f.ReaderField!.Position,
                    Convert: Compile(f.Resolution!, SchemaPath.Field(path, f.ReaderField.Name))))
                .ToArray();
            var defaults = record.Defaults.ToArray();
            compiled = value =>
            {
                if (value is not GenericRecord source || source.Schema.FullName != writer.FullName)
                {
                    throw NotAValue(writer, value, path);
                }

                var byPosition = ReferenceEquals(source.Schema, writer);
                var values = new object?[reader.Fields.Count];
                foreach (var (from, to, convert) in moves)
                {
                    object? fieldValue;
                    if (byPosition)
                    {
                        fieldValue = source[from.Position];
                    }
                    else if (!source.TryGetValue(from.Name, out fieldValue))
                    {
                        throw new AvroValueException(
                            $"The record has no field '{from.Name}', which the writer's {writer.FullName} has.", path);
                    }

                    values[to] = convert(fieldValue);
                }

                foreach (var fieldDefault in defaults)
                {
                    values[fieldDefault.ReaderField.Position] = fieldDefault.CreateValue();
                }

                return new GenericRecord(reader, values);
            };
            return indirect;
        }

        private Func<object?, object?> Array(ArrayResolution array, string path)
        {
            var items = Compile(array.Items, SchemaPath.Items(path));
            return value =>
            {
                if (value is not IEnumerable source || value is string or byte[] or IDictionary)
                {
                    throw NotAValue(array.Writer, value, path);
                }

                var list = new List<object?>((value as ICollection)?.Count ?? 4);
                foreach (var item in source)
                {
                    list.Add(items(item));
                }

                return list;
            };
        }

        private Func<object?, object?> Map(MapResolution map, string path)
        {
            var values = Compile(map.Values, SchemaPath.Values(path));
            return value =>
            {
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                switch (value)
                {
                    case IReadOnlyDictionary<string, object?> entries:
                        foreach (var (key, item) in entries)
                        {
                            result[key] = values(item);
                        }

                        break;
                    case IDictionary entries:
                        foreach (DictionaryEntry entry in entries)
                        {
                            result[entry.Key as string ?? throw NotAValue(map.Writer, value, path)] = values(entry.Value);
                        }

                        break;
                    default:
                        throw NotAValue(map.Writer, value, path);
                }

                return result;
            };
        }

        private Func<object?, object?> WriterUnion(WriterUnionResolution union, string path)
        {
            var branches = union.Branches.Select(b => Compile(b, path)).ToArray();
            var writer = union.Writer;
            return value =>
            {
                var index = UnionBranchSelector.Select(writer, value);
                return index >= 0 ? branches[index](value) : throw NotAValue(writer, value, path);
            };
        }

        private static int WriterIndex(EnumSchema writer, object? value, string path) =>
            value is string symbol && writer.IndexOf(symbol) is var index and >= 0
                ? index
                : throw NotAValue(writer, value, path);

        private static AvroValueException NotAValue(Schema writer, object? value, string path) =>
            new($"{(value is null ? "null" : $"{value.GetType().Name} {ValueEquality.Format(value)}")} is not a value of the writer's {writer.DisplayName}.",
                path);
    }
}
