using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Writes values of the record model (docs/record-model.md) in Avro binary encoding with one schema.
/// The schema is compiled once into a tree of delegates, one per schema node, so writing a record costs
/// a type check and a call per value: no reflection, no lookups by field name.
/// </summary>
/// <remarks>Instances are immutable and thread-safe; <see cref="For(Schema)"/> caches one per schema.</remarks>
public sealed class AvroDatumWriter
{
    private static readonly ConditionalWeakTable<Schema, AvroDatumWriter> Cache = new();
    private static readonly ConditionalWeakTable<Schema, AvroDatumWriter> SizedCache = new();

    private readonly ValueWriter _write;

    private AvroDatumWriter(Schema schema, bool sizedBlocks)
    {
        Schema = schema;
        SizedBlocks = sizedBlocks;
        _write = new Compiler(sizedBlocks).Compile(schema, RootPath(schema));
    }

    /// <summary>The schema values are written with.</summary>
    public Schema Schema { get; }

    /// <summary>The compiled writer for <paramref name="schema"/>, built on first use and cached.</summary>
    public static AvroDatumWriter For(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Cache.GetValue(schema, static s => new AvroDatumWriter(s, sizedBlocks: false));
    }

    /// <summary>
    /// The compiled writer for <paramref name="schema"/>; with <paramref name="sizedBlocks"/>, arrays and maps are
    /// written as blocks with a negative count and their byte size (Avro specification, "Complex Types"), which
    /// lets readers skip them without decoding, at the cost of encoding each array or map into a scratch buffer first.
    /// </summary>
    public static AvroDatumWriter For(Schema schema, bool sizedBlocks)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return sizedBlocks ? SizedCache.GetValue(schema, static s => new AvroDatumWriter(s, sizedBlocks: true)) : For(schema);
    }

    /// <summary>True when arrays and maps are written as sized blocks.</summary>
    public bool SizedBlocks { get; }

    /// <summary>Appends the encoding of <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <exception cref="AvroValueException">The value does not fit the schema; the message names the field path.</exception>
    public void Write(object? value, IBufferWriter<byte> output)
    {
        var writer = new AvroWriter(output);
        _write(ref writer, value);
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/> through an existing writer (for callers batching many values).</summary>
    public void Write(ref AvroWriter writer, object? value) => _write(ref writer, value);

    /// <summary>The encoding of <paramref name="value"/> as a new array.</summary>
    public byte[] ToArray(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The path of the root value in error messages: the full name of a named root, else empty (see SchemaPath).</summary>
    internal static string RootPath(Schema schema) => schema is NamedSchema named ? named.FullName : "";

    internal delegate void ValueWriter(ref AvroWriter writer, object? value);

    private sealed class Compiler(bool sizedBlocks)
    {
        private readonly bool _sizedBlocks = sizedBlocks;

        // Records under construction, so that recursive types compile to a finite plan.
        private readonly Dictionary<RecordSchema, RecordPlan> _records = new(ReferenceEqualityComparer.Instance);

        public ValueWriter Compile(Schema schema, string path)
        {
            var logical = AvroLogical.EffectiveLogicalName(schema);
            switch (schema.Type, logical)
            {
                case (SchemaType.Null, _):
                    return (ref AvroWriter _, object? v) =>
                    {
                        if (v is not null)
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Boolean, _):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is bool b)
                        {
                            w.WriteBoolean(b);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Int, null):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is int i)
                        {
                            w.WriteInt(i);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Int, LogicalType.DateName):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is DateOnly d)
                        {
                            w.WriteInt(AvroLogical.DaysFromDate(d));
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Int, _): // time-millis
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is TimeOnly t)
                        {
                            w.WriteInt((int)(t.Ticks / TimeSpan.TicksPerMillisecond));
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Long, null or LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is long l)
                        {
                            w.WriteLong(l);
                        }
                        else if (v is int i)
                        {
                            w.WriteLong(i);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Long, LogicalType.TimeMicrosName):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is TimeOnly t)
                        {
                            w.WriteLong(t.Ticks / 10);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Long, _):
                    return CompileTimestamp(schema, logical!, path);
                case (SchemaType.Float, _):
                    return (ref AvroWriter w, object? v) =>
                    {
                        switch (v)
                        {
                            case float f:
                                w.WriteFloat(f);
                                break;
                            case int i:
                                w.WriteFloat(i);
                                break;
                            case long l:
                                w.WriteFloat(l);
                                break;
                            default:
                                throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Double, _):
                    return (ref AvroWriter w, object? v) =>
                    {
                        switch (v)
                        {
                            case double d:
                                w.WriteDouble(d);
                                break;
                            case float f:
                                w.WriteDouble(f);
                                break;
                            case int i:
                                w.WriteDouble(i);
                                break;
                            case long l:
                                w.WriteDouble(l);
                                break;
                            default:
                                throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Bytes, null):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is byte[] b)
                        {
                            w.WriteBytes(b);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Bytes, _): // decimal
                    return CompileBytesDecimal(schema, path);
                case (SchemaType.String, null):
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is string s)
                        {
                            w.WriteString(s);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.String, _): // uuid
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is Guid g)
                        {
                            Span<char> text = stackalloc char[36];
                            g.TryFormat(text, out _, "D");
                            var span = w.Reserve(37);
                            span[0] = 36 << 1; // the zig-zag length prefix of 36
                            for (var i = 0; i < 36; i++)
                            {
                                span[i + 1] = (byte)text[i];
                            }

                            w.Advance(37);
                        }
                        else
                        {
                            throw Mismatch(path, schema, v);
                        }
                    };
                case (SchemaType.Fixed, _):
                    return CompileFixed((FixedSchema)schema, logical, path);
                case (SchemaType.Enum, _):
                    return CompileEnum((EnumSchema)schema, path);
                case (SchemaType.Array, _):
                    return CompileArray((ArraySchema)schema, path);
                case (SchemaType.Map, _):
                    return CompileMap((MapSchema)schema, path);
                case (SchemaType.Union, _):
                    return CompileUnion((UnionSchema)schema, path);
                case (SchemaType.Record, _):
                    return CompileRecord((RecordSchema)schema, path);
                default:
                    throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
            }
        }

        private static ValueWriter CompileTimestamp(Schema schema, string logical, string path)
        {
            var utc = !logical.StartsWith("local-", StringComparison.Ordinal);
            var ticksPerUnit = logical.EndsWith("millis", StringComparison.Ordinal) ? TimeSpan.TicksPerMillisecond : 10;
            return (ref AvroWriter w, object? v) =>
            {
                if (!AvroLogical.TryGetTicksSinceEpoch(v, utc, out var ticks))
                {
                    throw Mismatch(path, schema, v);
                }

                w.WriteLong(AvroLogical.FloorDiv(ticks, ticksPerUnit));
            };
        }

        private static ValueWriter CompileBytesDecimal(Schema schema, string path) => (ref AvroWriter w, object? v) =>
            w.WriteBytes(DecimalBytes(v, schema, path));

        /// <summary>
        /// The big-endian two's complement bytes of a decimal value (sign-extended to the size of a fixed), through the
        /// conversion every codec shares, which checks the CLR type, the scale, the precision and the fixed size.
        /// </summary>
        private static byte[] DecimalBytes(object? v, Schema schema, string path) => v is DecimalValue or decimal
            ? (byte[])AvroLogicalValues.ToUnderlying(schema, v, path)
            : throw Mismatch(path, schema, v);

        private static ValueWriter CompileFixed(FixedSchema schema, string? logical, string path)
        {
            var size = schema.Size;
            switch (logical)
            {
                case LogicalType.DecimalName:
                    return (ref AvroWriter w, object? v) => w.WriteFixed(DecimalBytes(v, schema, path));
                case LogicalType.UuidName:
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is not Guid g)
                        {
                            throw Mismatch(path, schema, v);
                        }

                        g.TryWriteBytes(w.Reserve(16), bigEndian: true, out _);
                        w.Advance(16);
                    };
                case LogicalType.DurationName:
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is not DurationValue)
                        {
                            throw Mismatch(path, schema, v);
                        }

                        w.WriteFixed((byte[])AvroLogicalValues.ToUnderlying(schema, v, path));
                    };
                default:
                    return (ref AvroWriter w, object? v) =>
                    {
                        if (v is not byte[] b)
                        {
                            throw Mismatch(path, schema, v);
                        }

                        if (b.Length != size)
                        {
                            throw new AvroValueException(
                                $"A {schema.DisplayName} takes {size} bytes, the value has {b.Length}.", path);
                        }

                        w.WriteFixed(b);
                    };
            }
        }

        private static ValueWriter CompileEnum(EnumSchema schema, string path) => (ref AvroWriter w, object? v) =>
        {
            if (v is not string symbol)
            {
                throw Mismatch(path, schema, v);
            }

            var index = schema.IndexOf(symbol);
            if (index < 0)
            {
                throw new AvroValueException(
                    $"'{symbol}' is not a symbol of {schema.DisplayName} ({string.Join(", ", schema.Symbols)}).", path);
            }

            w.WriteInt(index);
        };

        private ValueWriter CompileArray(ArraySchema schema, string path)
        {
            var item = Compile(schema.Items, SchemaPath.Items(path));
            ValueWriter items = (ref AvroWriter w, object? v) =>
            {
                if (v is List<object?> concrete)
                {
                    // Span iteration over the common List<T> avoids interface dispatch per item.
                    foreach (var element in CollectionsMarshal.AsSpan(concrete))
                    {
                        item(ref w, element);
                    }
                }
                else
                {
                    var list = (IReadOnlyList<object?>)v!;
                    for (var i = 0; i < list.Count; i++)
                    {
                        item(ref w, list[i]);
                    }
                }
            };
            var sized = _sizedBlocks;
            return (ref AvroWriter w, object? v) =>
            {
                if (v is not IReadOnlyList<object?> list)
                {
                    throw Mismatch(path, schema, v);
                }

                WriteBlock(ref w, list.Count, list, items, sized);
            };
        }

        private ValueWriter CompileMap(MapSchema schema, string path)
        {
            var value = Compile(schema.Values, SchemaPath.Values(path));
            ValueWriter entries = (ref AvroWriter w, object? v) =>
            {
                if (v is Dictionary<string, object?> concrete)
                {
                    foreach (var (key, item) in concrete)
                    {
                        w.WriteString(key);
                        value(ref w, item);
                    }
                }
                else
                {
                    foreach (var (key, item) in (IReadOnlyDictionary<string, object?>)v!)
                    {
                        w.WriteString(key);
                        value(ref w, item);
                    }
                }
            };
            var sized = _sizedBlocks;
            return (ref AvroWriter w, object? v) =>
            {
                if (v is not IReadOnlyDictionary<string, object?> map)
                {
                    throw Mismatch(path, schema, v);
                }

                WriteBlock(ref w, map.Count, map, entries, sized);
            };
        }

        /// <summary>
        /// Writes the items of an array or map as one block and the terminating empty block. Sized blocks carry a
        /// negative count and the byte size, so readers can skip them; that needs the items encoded first.
        /// </summary>
        private static void WriteBlock(ref AvroWriter w, int count, object collection, ValueWriter items, bool sized)
        {
            if (count > 0)
            {
                if (sized)
                {
                    using var scratch = new ByteBuffer(1024);
                    var inner = new AvroWriter(scratch);
                    items(ref inner, collection);
                    inner.Flush();
                    w.WriteLong(-count);
                    w.WriteLong(scratch.Length);
                    w.WriteFixed(scratch.WrittenSpan);
                }
                else
                {
                    w.WriteLong(count);
                    items(ref w, collection);
                }
            }

            w.WriteLong(0);
        }

        private ValueWriter CompileUnion(UnionSchema schema, string path)
        {
            var branches = new ValueWriter[schema.Branches.Count];
            for (var i = 0; i < branches.Length; i++)
            {
                branches[i] = Compile(schema.Branches[i], path);
            }

            // The ubiquitous nullable ["null", T] / [T, "null"] skips the selector: null or the other branch,
            // whose own writer checks the value (and names the path when it does not fit).
            if (schema.NonNullBranch is not null)
            {
                var nullIndex = schema.Branches[0].IsNull ? 0 : 1;
                var otherIndex = 1 - nullIndex;
                var other = branches[otherIndex];
                return (ref AvroWriter w, object? v) =>
                {
                    if (v is null)
                    {
                        w.WriteInt(nullIndex);
                        return;
                    }

                    w.WriteInt(otherIndex);
                    other(ref w, v);
                };
            }

            return (ref AvroWriter w, object? v) =>
            {
                var index = UnionBranchSelector.Select(schema, v);
                if (index < 0)
                {
                    throw NoBranch(path, schema, v);
                }

                w.WriteInt(index);
                branches[index](ref w, v);
            };
        }

        private ValueWriter CompileRecord(RecordSchema schema, string path)
        {
            if (_records.TryGetValue(schema, out var pending))
            {
                // A recursive reference: call through the plan, whose fields are filled in below.
                return pending.Write;
            }

            var plan = new RecordPlan(schema, path);
            _records.Add(schema, plan);
            var fields = new ValueWriter[schema.Fields.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Compile(schema.Fields[i].Schema, SchemaPath.Field(path, schema.Fields[i].Name));
            }

            plan.Fields = fields;
            _records.Remove(schema);
            return plan.Write;
        }
    }

    /// <summary>The writer of one record schema; a class so recursive references can point at it before it is complete.</summary>
    private sealed class RecordPlan(RecordSchema schema, string path)
    {
        private FieldMap? _lastMap;

        public ValueWriter[] Fields { get; set; } = [];

        public void Write(ref AvroWriter w, object? v)
        {
            if (v is not GenericRecord record)
            {
                throw Mismatch(path, schema, v);
            }

            var fields = Fields;
            if (ReferenceEquals(record.Schema, schema))
            {
                var values = record.Values;
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i](ref w, values[i]);
                }

                return;
            }

            WriteByName(ref w, record, fields);
        }

        // A record built with another instance of the schema (say parsed twice): map fields by name once per
        // distinct schema instance and keep the last map, since a stream of records shares one instance.
        private void WriteByName(ref AvroWriter w, GenericRecord record, ValueWriter[] fields)
        {
            var map = _lastMap;
            if (map is null || !ReferenceEquals(map.Source, record.Schema))
            {
                map = new FieldMap(record.Schema, schema, path);
                _lastMap = map;
            }

            var values = record.Values;
            for (var i = 0; i < fields.Length; i++)
            {
                var position = map.Positions[i];
                if (position < 0)
                {
                    throw new AvroValueException(
                        $"The record of type {record.Schema.FullName} has no field '{schema.Fields[i].Name}'.",
                        SchemaPath.Field(path, schema.Fields[i].Name));
                }

                fields[i](ref w, values[position]);
            }
        }
    }

    private sealed class FieldMap
    {
        public FieldMap(RecordSchema source, RecordSchema target, string path)
        {
            if (source.FullName != target.FullName)
            {
                throw new AvroValueException($"A record of type {source.FullName} is not a {target.FullName}.", path);
            }

            Source = source;
            Positions = target.Fields.Select(f => source.GetField(f.Name)?.Position ?? -1).ToArray();
        }

        public RecordSchema Source { get; }

        public int[] Positions { get; }
    }

    private static AvroValueException Mismatch(string path, Schema schema, object? value) =>
        new($"{Capitalize(Describe(value))} is not a value of {schema.DisplayName}.", path);

    private static AvroValueException NoBranch(string path, UnionSchema schema, object? value) =>
        new($"No branch of {schema.DisplayName} accepts {Describe(value)}.", path);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Describe(object? value) => value switch
    {
        null => "null",
        GenericRecord r => $"a record of type {r.Schema.FullName}",
        _ => $"{ValueEquality.Format(value)} ({value.GetType().Name})",
    };
}
