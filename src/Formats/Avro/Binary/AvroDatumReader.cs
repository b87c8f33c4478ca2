using System.Runtime.CompilerServices;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroValueReaders;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Reads Avro binary data into values of the record model (docs/record-model.md). A reader is compiled
/// once per writer schema (or writer/reader schema pair, see <see cref="For(Schema, Schema)"/>)
/// into a tree of delegates; reading a record then costs one call per value, with no reflection and no
/// lookups by field name. Values the reader schema does not want are skipped without being materialised.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class AvroDatumReader
{
    private static readonly ConditionalWeakTable<Schema, AvroDatumReader> Cache = new();
    private static readonly ConditionalWeakTable<Schema, ConditionalWeakTable<Schema, AvroDatumReader>> PairCache = new();

    private readonly ValueReader _read;

    internal AvroDatumReader(Schema writerSchema, Schema readerSchema, ValueReader read)
    {
        WriterSchema = writerSchema;
        ReaderSchema = readerSchema;
        _read = read;
    }

    /// <summary>The schema the data was written with.</summary>
    public Schema WriterSchema { get; }

    /// <summary>The schema of the values returned (the writer schema unless resolving).</summary>
    public Schema ReaderSchema { get; }

    /// <summary>The reader of data written with <paramref name="schema"/>, returning values of that schema; cached per schema.</summary>
    public static AvroDatumReader For(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Cache.GetValue(schema, static s => new AvroDatumReader(s, s, new Compiler().Compile(s, AvroDatumWriter.RootPath(s))));
    }

    /// <summary>
    /// The reader of data written with <paramref name="writerSchema"/> returning values of <paramref name="readerSchema"/>
    /// (Avro schema resolution); cached per schema pair.
    /// </summary>
    /// <exception cref="SchemaResolutionException">No data of the writer's schema can be read with the reader's.</exception>
    public static AvroDatumReader For(Schema writerSchema, Schema readerSchema)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        ArgumentNullException.ThrowIfNull(readerSchema);
        if (ReferenceEquals(writerSchema, readerSchema))
        {
            return For(writerSchema);
        }

        return PairCache.GetOrCreateValue(writerSchema).GetValue(readerSchema,
            reader => FromResolution(SchemaResolver.Resolve(writerSchema, reader).GetRoot()));
    }

    /// <summary>Compiles a resolution tree the caller already has into a reader.</summary>
    public static AvroDatumReader FromResolution(ResolutionNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new AvroDatumReader(root.Writer, root.Reader,
            new AvroResolvingCompiler().Compile(root, AvroDatumWriter.RootPath(root.Reader)));
    }

    /// <summary>Reads one value.</summary>
    /// <exception cref="AvroDataException">The data is truncated or malformed; the offset says where.</exception>
    public object? Read(ref AvroReader reader) => _read(ref reader);

    /// <summary>Reads one value from the start of <paramref name="data"/>; trailing bytes are an error.</summary>
    /// <exception cref="AvroDataException">The data is truncated, malformed or longer than one value.</exception>
    public object? Read(ReadOnlySpan<byte> data)
    {
        var reader = new AvroReader(data);
        var value = _read(ref reader);
        if (!reader.IsAtEnd)
        {
            throw new AvroDataException(
                $"{reader.Remaining} unexpected bytes follow the value at offset {reader.Offset}.", reader.Offset);
        }

        return value;
    }

    /// <summary>The compiler of plain (non-resolving) plans; also used by the resolving compiler for matching subtrees.</summary>
    internal sealed class Compiler
    {
        private readonly Dictionary<RecordSchema, RecordRead> _records = new(ReferenceEqualityComparer.Instance);

        public ValueReader Compile(Schema schema, string path)
        {
            if (Leaf(schema) is { } leaf)
            {
                return leaf;
            }

            switch (schema)
            {
                case ArraySchema array:
                    return Array(Compile(array.Items, SchemaPath.Items(path)), MinimumSize(array.Items));
                case MapSchema map:
                    return Map(Compile(map.Values, SchemaPath.Values(path)));
                case UnionSchema union:
                    return Union(union, union.Branches.Select(b => Compile(b, path)).ToArray());
                case RecordSchema record:
                    if (_records.TryGetValue(record, out var pending))
                    {
                        return pending.Read;
                    }

                    var plan = new RecordRead(record, record.Fields.Count);
                    _records.Add(record, plan);
                    var steps = new RecordStep[record.Fields.Count];
                    for (var i = 0; i < steps.Length; i++)
                    {
                        steps[i] = RecordStep.Into(i, Compile(record.Fields[i].Schema, SchemaPath.Field(path, record.Fields[i].Name)));
                    }

                    plan.Complete(steps, []);
                    _records.Remove(record);
                    return plan.Read;
                default:
                    throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
            }
        }
    }

    /// <summary>An array reader over blocks, items read by <paramref name="item"/>.</summary>
    internal static ValueReader Array(ValueReader item, int minimumItemSize) => (ref AvroReader r) =>
    {
        var list = new List<object?>();
        while (true)
        {
            var count = CheckedBlockCount(ref r, minimumItemSize, "array");
            if (count == 0)
            {
                return list;
            }

            list.EnsureCapacity(list.Count + count);
            for (var i = 0; i < count; i++)
            {
                list.Add(item(ref r));
            }
        }
    };

    /// <summary>A map reader over blocks, values read by <paramref name="value"/>; a repeated key keeps the last value.</summary>
    internal static ValueReader Map(ValueReader value) => (ref AvroReader r) =>
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            var count = CheckedBlockCount(ref r, 1, "map");
            if (count == 0)
            {
                return map;
            }

            map.EnsureCapacity(map.Count + count);
            for (var i = 0; i < count; i++)
            {
                var key = r.ReadString();
                map[key] = value(ref r);
            }
        }
    };

    /// <summary>A union reader: the branch index, then that branch's reader.</summary>
    internal static ValueReader Union(UnionSchema union, ValueReader[] branches) => (ref AvroReader r) =>
    {
        var start = r.Position;
        var index = r.ReadLong();
        if ((ulong)index >= (ulong)branches.Length)
        {
            throw r.Malformed($"Union branch index {index} is out of range for {union.DisplayName}", start);
        }

        return branches[index](ref r);
    };

    /// <summary>
    /// Reads a block count and rejects one the remaining bytes cannot hold (each item takes at least
    /// <paramref name="minimumItemSize"/> bytes), so corrupt counts fail before a large allocation.
    /// </summary>
    internal static int CheckedBlockCount(ref AvroReader r, int minimumItemSize, string what)
    {
        var start = r.Position;
        var count = r.ReadBlockCount(out _);
        var limit = minimumItemSize == 0 ? 1 << 24 : r.Remaining / minimumItemSize;
        if (count > limit)
        {
            throw r.Malformed($"An {what} block of {count} items cannot fit in the {r.Remaining} remaining bytes", start);
        }

        return (int)count;
    }

    /// <summary>One step of a record plan, in writer field order: read into a reader position, or skip.</summary>
    internal readonly record struct RecordStep(int Position, ValueReader? Read, AvroSkipper.ValueSkipper? Skip)
    {
        public static RecordStep Into(int position, ValueReader read) => new(position, read, null);

        public static RecordStep Skipping(AvroSkipper.ValueSkipper skip) => new(-1, null, skip);
    }

    /// <summary>A reader field the writer lacks: its position and a factory of its default value.</summary>
    internal readonly record struct DefaultStep(int Position, Func<object?> Value);

    /// <summary>The reader of one record; a class so recursive references can call it before it is complete.</summary>
    internal sealed class RecordRead(RecordSchema schema, int fieldCount)
    {
        private RecordStep[] _steps = [];
        private DefaultStep[] _defaults = [];
        private ValueReader[]? _direct;

        public void Complete(RecordStep[] steps, DefaultStep[] defaults)
        {
            _steps = steps;
            _defaults = defaults;

            // The common case, every writer field read in order into the same position, runs a tighter loop.
            var direct = defaults.Length == 0 && steps.Length == fieldCount;
            for (var i = 0; direct && i < steps.Length; i++)
            {
                direct = steps[i].Position == i && steps[i].Read is not null;
            }

            _direct = direct ? steps.Select(s => s.Read!).ToArray() : null;
        }

        public object? Read(ref AvroReader r)
        {
            var values = new object?[fieldCount];
            if (_direct is { } direct)
            {
                for (var i = 0; i < direct.Length; i++)
                {
                    values[i] = direct[i](ref r);
                }

                return new GenericRecord(schema, values);
            }

            foreach (var step in _steps)
            {
                if (step.Read is { } read)
                {
                    values[step.Position] = read(ref r);
                }
                else
                {
                    step.Skip!(ref r);
                }
            }

            foreach (var fill in _defaults)
            {
                values[fill.Position] = fill.Value();
            }

            return new GenericRecord(schema, values);
        }
    }
}
