using System.Text.Json;
using System.Text.Unicode;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Avro.Json;
using Streams.Formats.Model;

namespace Streams.Formats.Json;

/// <summary>
/// Writes a JSON line straight into the Avro binary encoding of a record schema: one pass of a
/// <see cref="Utf8JsonReader"/> over the line's bytes, no document, no model values, unescaped strings copied as they are.
/// It gives exactly the bytes <see cref="JsonValueParser"/> followed by <see cref="AvroDatumWriter"/> give, or declines the
/// line (anything doubtful: a bad value, a duplicate property, an escaped property name, trailing content, ...), which then
/// takes that path and gets its value or its error from it. Only flat types are compiled (null, boolean, int, long, float,
/// double, string, enum, unions of null and one of those, non-recursive records of those), none with a logical type.
/// </summary>
/// <remarks>Immutable once compiled; one line at a time per output buffer.</remarks>
internal sealed class JsonAvroTranscoder
{
    // Records of at most this many fields keep their per-line bookkeeping on the stack.
    private const int StackFields = 128;

    private readonly RecordPlan _root;

    private JsonAvroTranscoder(RecordPlan root)
    {
        _root = root;
    }

    /// <summary>The transcoder for records of <paramref name="schema"/>, or null when it holds a type it does not transcode.</summary>
    public static JsonAvroTranscoder? Compile(Schema schema) => schema is RecordSchema record
        && Compiler.Record(record, new HashSet<RecordSchema>(ReferenceEqualityComparer.Instance)) is { } plan
            ? new JsonAvroTranscoder(plan)
            : null;

    /// <summary>
    /// Appends the Avro binary datum of the record on <paramref name="line"/> to <paramref name="output"/>, using
    /// <paramref name="scratch"/> to put fields that came out of order into place. False when the line is declined;
    /// <paramref name="output"/> is then as it was.
    /// </summary>
    public bool TryTranscode(ReadOnlySpan<byte> line, ByteBuffer output, ByteBuffer scratch)
    {
        // The decoding path refuses invalid UTF-8 before it parses; the reader below would not check every byte.
        if (!Utf8.IsValid(line))
        {
            return false;
        }

        var start = output.Length;
        var writer = new AvroWriter(output);
        try
        {
            var json = new Utf8JsonReader(line);
            var done = json.Read() && json.TokenType == JsonTokenType.StartObject
                && Record(ref json, ref writer, _root, output, scratch)
                && !json.Read(); // anything after the object but white space throws
            writer.Flush();
            if (done)
            {
                return true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string no UTF-16 text has: the decoding path says where and why.
        }

        writer.Flush();
        output.Truncate(start);
        return false;
    }

    private static bool Record(ref Utf8JsonReader json, ref AvroWriter writer, RecordPlan plan, ByteBuffer output, ByteBuffer scratch)
    {
        var count = plan.Fields.Length;
        // Where each field's encoding starts, and one past where it ends (0: not seen), by position.
        Span<int> bounds = count <= StackFields ? stackalloc int[2 * count] : new int[2 * count];
        var recordStart = output.Length + writer.Buffered;
        var expected = 0;
        var found = 0;
        var ordered = true;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueIsEscaped)
            {
                return false;
            }

            var name = json.ValueSpan;
            var position = expected < count && name.SequenceEqual(plan.Names[expected]) ? expected : plan.IndexOf(name);
            json.Read();
            if (position < 0)
            {
                json.Skip(); // an unknown property, whatever its value
                continue;
            }

            if (bounds[(2 * position) + 1] != 0)
            {
                return false; // the decoding path keeps the last value, after parsing the first
            }

            found++;
            ordered &= position == expected;
            var start = output.Length + writer.Buffered;
            if (!Value(ref json, ref writer, plan.Fields[position], output, scratch))
            {
                return false;
            }

            bounds[2 * position] = start;
            bounds[(2 * position) + 1] = output.Length + writer.Buffered + 1;
            expected = position + 1;
        }

        if (ordered && found == count)
        {
            return true;
        }

        // Out of order or with fields missing: the fields as they came move to the scratch buffer and come back in schema order.
        writer.Flush();
        scratch.Clear();
        scratch.Write(output.WrittenSpan[recordStart..]);
        output.Truncate(recordStart);
        var came = scratch.WrittenSpan;
        for (var i = 0; i < count; i++)
        {
            if (bounds[(2 * i) + 1] != 0)
            {
                writer.WriteFixed(came[(bounds[2 * i] - recordStart)..(bounds[(2 * i) + 1] - 1 - recordStart)]);
            }
            else if (plan.Missing[i] is { } missing)
            {
                writer.WriteFixed(missing);
            }
            else
            {
                return false; // required, or a default that does not encode
            }
        }

        return true;
    }

    private static bool Value(ref Utf8JsonReader json, ref AvroWriter writer, Node node, ByteBuffer output, ByteBuffer scratch)
    {
        if (json.TokenType == JsonTokenType.Null)
        {
            if (node.NullBranch >= 0)
            {
                writer.WriteInt(node.NullBranch);
                return true;
            }

            return node is { Type: SchemaType.Null, ValueBranch: < 0 };
        }

        if (node.ValueBranch >= 0)
        {
            writer.WriteInt(node.ValueBranch);
        }
        else if (node.NullBranch >= 0)
        {
            return false; // a union of null alone
        }

        switch (node.Type)
        {
            case SchemaType.Boolean when json.TokenType is JsonTokenType.True or JsonTokenType.False:
                writer.WriteBoolean(json.TokenType == JsonTokenType.True);
                return true;
            case SchemaType.Int when json.TokenType == JsonTokenType.Number && json.TryGetInt32(out var i):
                writer.WriteInt(i);
                return true;
            case SchemaType.Long when json.TokenType == JsonTokenType.Number && json.TryGetInt64(out var l):
                writer.WriteLong(l);
                return true;
            case SchemaType.Double when TryGetDouble(ref json, out var d):
                writer.WriteDouble(d);
                return true;
            case SchemaType.Float when TryGetDouble(ref json, out var f):
                writer.WriteFloat((float)f);
                return true;
            case SchemaType.String when json.TokenType == JsonTokenType.String:
                return String(ref json, ref writer, scratch);
            case SchemaType.Enum when json.TokenType == JsonTokenType.String:
                var symbols = node.Symbols!;
                for (var s = 0; s < symbols.Length; s++)
                {
                    if (json.ValueTextEquals(symbols[s]))
                    {
                        writer.WriteInt(s);
                        return true;
                    }
                }

                return false;
            case SchemaType.Record when json.TokenType == JsonTokenType.StartObject:
                return Record(ref json, ref writer, node.Record!, output, scratch);
            default:
                return false;
        }
    }

    /// <summary>A double as the decoding path reads it: a finite JSON number, or the strings of the non-finite values.</summary>
    private static bool TryGetDouble(ref Utf8JsonReader json, out double value)
    {
        switch (json.TokenType)
        {
            case JsonTokenType.Number:
                // Refused numbers (out of range) make JsonElement.GetDouble throw: that is the decoding path's to report.
                return json.TryGetDouble(out value);
            case JsonTokenType.String when json.ValueTextEquals("NaN"u8):
                value = double.NaN;
                return true;
            case JsonTokenType.String when json.ValueTextEquals("Infinity"u8):
                value = double.PositiveInfinity;
                return true;
            case JsonTokenType.String when json.ValueTextEquals("-Infinity"u8):
                value = double.NegativeInfinity;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    private static bool String(ref Utf8JsonReader json, ref AvroWriter writer, ByteBuffer scratch)
    {
        if (!json.ValueIsEscaped)
        {
            // Valid UTF-8 (checked for the whole line) is what the string's UTF-16 form encodes back to.
            writer.WriteBytes(json.ValueSpan);
            return true;
        }

        // Unescaping never lengthens the text. The scratch buffer is free between records' reordering.
        scratch.Clear();
        int written;
        try
        {
            written = json.CopyString(scratch.GetSpan(json.ValueSpan.Length));
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped lone surrogate: no string has it
        }

        var text = scratch.GetSpan(0)[..written];
        if (!Utf8.IsValid(text))
        {
            return false;
        }

        writer.WriteBytes(text);
        return true;
    }

    /// <summary>
    /// One value's type: its schema type, and for a union the branch index of null and of the other branch (-1 when it has none;
    /// both -1 when it is no union).
    /// </summary>
    private sealed record Node(SchemaType Type, int NullBranch = -1, int ValueBranch = -1, byte[][]? Symbols = null, RecordPlan? Record = null);

    private sealed class RecordPlan(byte[][] names, Node[] fields, byte[]?[] missing)
    {
        /// <summary>The UTF-8 names of the fields, by position.</summary>
        public byte[][] Names => names;

        public Node[] Fields => fields;

        /// <summary>What a missing field is encoded as (its default, or null when nullable), or null when it may not be missing.</summary>
        public byte[]?[] Missing => missing;

        public int IndexOf(ReadOnlySpan<byte> name)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (name.SequenceEqual(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private static class Compiler
    {
        /// <summary>The plan of <paramref name="record"/>, or null when it holds a type not transcoded; <paramref name="open"/>: records being compiled.</summary>
        public static RecordPlan? Record(RecordSchema record, HashSet<RecordSchema> open)
        {
            if (record.LogicalType is not null || !open.Add(record))
            {
                return null; // a recursive record
            }

            var fields = new Node[record.Fields.Count];
            var missing = new byte[]?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                var field = record.Fields[i];
                if (Node(field.Schema, open) is not { } node)
                {
                    return null;
                }

                fields[i] = node;
                missing[i] = Missing(field);
            }

            open.Remove(record);
            return new RecordPlan([.. record.Fields.Select(f => System.Text.Encoding.UTF8.GetBytes(f.Name))], fields, missing);
        }

        private static Node? Node(Schema schema, HashSet<RecordSchema> open)
        {
            if (schema is not UnionSchema union)
            {
                return Plain(schema, open);
            }

            var nullBranch = -1;
            var valueBranch = -1;
            for (var b = 0; b < union.Branches.Count; b++)
            {
                if (union.Branches[b].IsNull)
                {
                    nullBranch = b;
                }
                else if (valueBranch >= 0)
                {
                    return null; // which branch takes a value is the decoding path's question
                }
                else
                {
                    valueBranch = b;
                }
            }

            if (valueBranch < 0)
            {
                return new Node(SchemaType.Null, nullBranch);
            }

            return Plain(union.Branches[valueBranch], open) is { } value && value.Type != SchemaType.Null
                ? value with { NullBranch = nullBranch, ValueBranch = valueBranch }
                : null;
        }

        private static Node? Plain(Schema schema, HashSet<RecordSchema> open)
        {
            if (schema.LogicalType is not null)
            {
                return null;
            }

            return schema switch
            {
                { Type: SchemaType.Null or SchemaType.Boolean or SchemaType.Int or SchemaType.Long or SchemaType.Float or SchemaType.Double
                    or SchemaType.String } => new Node(schema.Type),
                EnumSchema e => new Node(SchemaType.Enum, Symbols: [.. e.Symbols.Select(System.Text.Encoding.UTF8.GetBytes)]),
                RecordSchema r => Record(r, open) is { } plan ? new Node(SchemaType.Record, Record: plan) : null,
                _ => null,
            };
        }

        /// <summary>The encoding the decoding path gives a missing field, or null where it refuses the line.</summary>
        private static byte[]? Missing(Field field)
        {
            object? value;
            if (field.HasDefault)
            {
                try
                {
                    value = AvroJsonDecoder.DefaultValue(field);
                }
                catch (AvroValueException)
                {
                    return null; // a schema built in code with a default that does not fit: the decoding path reports it
                }
            }
            else if (field.Schema.IsNull || field.Schema is UnionSchema u && u.Branches.Any(b => b.IsNull))
            {
                value = null;
            }
            else
            {
                return null;
            }

            try
            {
                return AvroDatumWriter.For(field.Schema).ToArray(value);
            }
            catch (AvroValueException)
            {
                return null;
            }
        }
    }
}
