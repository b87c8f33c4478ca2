using System.Runtime.InteropServices;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroDatumWriter;
using static Streams.Formats.Avro.Binary.AvroWriteErrors;

namespace Streams.Formats.Avro.Binary;

// The complex types of the specification: fixed (with its logical types), enums, arrays and maps (plain or sized
// blocks), unions and records (recursive ones through their plan).
internal sealed partial class AvroDatumWriterCompiler
{
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

        var plan = new RecordWritePlan(schema, path);
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
