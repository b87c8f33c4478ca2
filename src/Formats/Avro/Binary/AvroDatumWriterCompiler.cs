using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroDatumWriter;
using static Streams.Formats.Avro.Binary.AvroWriteErrors;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Compiles a schema into the <see cref="AvroDatumWriter"/>'s tree of delegates, one per schema node. One compiler
/// serves one schema: it tracks the records under construction so that recursive types compile to a finite plan.
/// </summary>
internal sealed partial class AvroDatumWriterCompiler(bool sizedBlocks)
{
    private readonly bool _sizedBlocks = sizedBlocks;

    // Records under construction, so that recursive types compile to a finite plan.
    private readonly Dictionary<RecordSchema, RecordWritePlan> _records = new(ReferenceEqualityComparer.Instance);

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
}
