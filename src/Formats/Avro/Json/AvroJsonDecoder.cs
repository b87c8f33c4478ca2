using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Json;

/// <summary>
/// Reads values from Avro's JSON encoding (Avro 1.11 specification, "JSON Encoding") into the CLR values of
/// docs/record-model.md, and field defaults (specification, "Complex Types / Records": the default-value
/// table) the same way.
/// </summary>
/// <remarks>
/// The two forms differ in unions only: the JSON encoding wraps a non-null union value as
/// <c>{"type name": value}</c>, while a default is the unwrapped value of the union's first branch.
/// <c>bytes</c> and <c>fixed</c> are strings whose code points 0–255 are the bytes. Float and double also
/// accept the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, which JSON numbers cannot
/// express and the Java encoder writes. A record field missing from the JSON takes its default when it has one.
/// </remarks>
public static class AvroJsonDecoder
{
    /// <summary>Decodes a value in Avro's JSON encoding.</summary>
    /// <exception cref="AvroValueException">The JSON is not a value of <paramref name="schema"/>; the path says where.</exception>
    public static object? Decode(JsonNode? json, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Read(json, schema, wrappedUnions: true, "");
    }

    /// <summary>Decodes a value from JSON text in Avro's JSON encoding.</summary>
    /// <exception cref="AvroValueException">The text is not JSON, or not a value of <paramref name="schema"/>.</exception>
    public static object? Decode(string json, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new AvroValueException($"Not valid JSON: {e.Message}", "");
        }

        return Decode(node, schema);
    }

    /// <summary>Decodes a default value (a union's default is the unwrapped value of its first branch).</summary>
    /// <exception cref="AvroValueException">The JSON is not a valid default for <paramref name="schema"/>.</exception>
    public static object? DecodeDefault(JsonNode? json, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Read(json, schema, wrappedUnions: false, "");
    }

    /// <summary>The default value of <paramref name="field"/> as a model value (a fresh instance on every call).</summary>
    /// <exception cref="InvalidOperationException">The field has no default.</exception>
    public static object? DefaultValue(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!field.HasDefault)
        {
            throw new InvalidOperationException($"Field '{field.Name}' has no default value.");
        }

        try
        {
            return DecodeDefault(field.Default, field.Schema);
        }
        catch (AvroValueException e)
        {
            // Schemas built by the parser have valid defaults; one built in code may not.
            throw new AvroValueException($"The default of field '{field.Name}' is invalid: {e.Reason}",
                SchemaPath.Append(field.Name, e.Path));
        }
    }

    private static object? Read(JsonNode? json, Schema schema, bool wrappedUnions, string path)
    {
        if (schema is UnionSchema union)
        {
            return ReadUnion(json, union, wrappedUnions, path);
        }

        object? underlying = schema switch
        {
            { Type: SchemaType.Null } => json is null ? null : throw Mismatch(json, schema, path),
            { Type: SchemaType.Boolean } => Value(json) is { } v && v.TryGetValue<bool>(out var b) ? b : throw Mismatch(json, schema, path),
            { Type: SchemaType.Int } => JsonNumber.TryGetInt32(json, out var i) ? i : throw IntegerMismatch(json, schema, path),
            { Type: SchemaType.Long } => JsonNumber.TryGetInt64(json, out var l) ? l : throw IntegerMismatch(json, schema, path),
            { Type: SchemaType.Float } => ReadFloat(json, schema, path),
            { Type: SchemaType.Double } => ReadFloatingPoint(json, schema, path),
            { Type: SchemaType.Bytes } => ReadBytes(json, schema, null, path),
            { Type: SchemaType.String } => Value(json) is { } v && v.TryGetValue<string>(out var s) ? s : throw Mismatch(json, schema, path),
            RecordSchema record => ReadRecord(json, record, wrappedUnions, path),
            EnumSchema e => ReadEnum(json, e, path),
            ArraySchema array => ReadArray(json, array, wrappedUnions, path),
            MapSchema map => ReadMap(json, map, wrappedUnions, path),
            FixedSchema f => ReadBytes(json, schema, f.Size, path),
            _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, "Unknown schema kind."),
        };

        return underlying is null || schema.LogicalType is null
            ? underlying
            : AvroLogicalValues.ToLogical(schema, underlying, path);
    }

    private static object? ReadUnion(JsonNode? json, UnionSchema union, bool wrapped, string path)
    {
        if (!wrapped)
        {
            return union.Branches.Count == 0
                ? throw new AvroValueException("An empty union has no values.", path)
                : Read(json, union.Branches[0], wrapped, SchemaPath.Branch(path, 0));
        }

        if (json is null)
        {
            return union.Branches.Any(b => b.IsNull)
                ? null
                : throw new AvroValueException($"null is not a value of {union.DisplayName}, which has no null branch.", path);
        }

        if (json is not JsonObject { Count: 1 } obj)
        {
            throw new AvroValueException(
                $"A non-null value of {union.DisplayName} must be a JSON object with one member naming the branch, like {{\"{BranchName(union.Branches.FirstOrDefault(b => !b.IsNull) ?? union)}\": ...}}; found {AvroSchemaParser.Describe(json)}.",
                path);
        }

        var (name, value) = obj.First();
        for (var i = 0; i < union.Branches.Count; i++)
        {
            if (BranchName(union.Branches[i]) == name)
            {
                return union.Branches[i].IsNull
                    ? throw new AvroValueException("The null branch of a union is encoded as JSON null, not wrapped.", path)
                    : Read(value, union.Branches[i], wrapped, SchemaPath.Branch(path, i));
            }
        }

        throw new AvroValueException(
            $"'{name}' names no branch of {union.DisplayName}; the branches are named {string.Join(", ", union.Branches.Select(b => $"'{BranchName(b)}'"))}.",
            path);
    }

    /// <summary>The name that tags a union branch in the JSON encoding: the full name of a named type, else the type name.</summary>
    internal static string BranchName(Schema branch) =>
        branch is NamedSchema named ? named.FullName : Schema.TypeName(branch.Type);

    private static GenericRecord ReadRecord(JsonNode? json, RecordSchema record, bool wrapped, string path)
    {
        if (json is not JsonObject obj)
        {
            throw Mismatch(json, record, path);
        }

        var values = new object?[record.Fields.Count];
        foreach (var field in record.Fields)
        {
            var fieldPath = SchemaPath.Field(path, field.Name);
            if (obj.TryGetPropertyValue(field.Name, out var fieldJson))
            {
                values[field.Position] = Read(fieldJson, field.Schema, wrapped, fieldPath);
            }
            else if (field.HasDefault)
            {
                values[field.Position] = Read(field.Default, field.Schema, wrappedUnions: false, fieldPath);
            }
            else
            {
                throw new AvroValueException(
                    $"Field '{field.Name}' of {record.FullName} is missing and has no default.", fieldPath);
            }
        }

        // Defaults may carry extra members (the specification does not forbid it and Java ignores them);
        // encoded data with a member the schema does not have is a mistake worth reporting.
        if (wrapped)
        {
            foreach (var (name, _) in obj)
            {
                if (record.GetField(name) is null)
                {
                    throw new AvroValueException($"Record {record.FullName} has no field '{name}'.", SchemaPath.Field(path, name));
                }
            }
        }

        return new GenericRecord(record, values);
    }

    private static string ReadEnum(JsonNode? json, EnumSchema schema, string path)
    {
        if (Value(json) is not { } v || !v.TryGetValue<string>(out var symbol))
        {
            throw Mismatch(json, schema, path);
        }

        return schema.IndexOf(symbol) >= 0
            ? symbol
            : throw new AvroValueException(
                $"\"{symbol}\" is not a symbol of enum {schema.FullName} ({string.Join(", ", schema.Symbols)}).", path);
    }

    private static List<object?> ReadArray(JsonNode? json, ArraySchema schema, bool wrapped, string path)
    {
        if (json is not JsonArray array)
        {
            throw Mismatch(json, schema, path);
        }

        var list = new List<object?>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            list.Add(Read(array[i], schema.Items, wrapped, SchemaPath.Element(path, i)));
        }

        return list;
    }

    private static Dictionary<string, object?> ReadMap(JsonNode? json, MapSchema schema, bool wrapped, string path)
    {
        if (json is not JsonObject obj)
        {
            throw Mismatch(json, schema, path);
        }

        var map = new Dictionary<string, object?>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            map[key] = Read(value, schema.Values, wrapped, SchemaPath.Entry(path, key));
        }

        return map;
    }

    private static double? ReadFloatingPoint(JsonNode? json, Schema schema, string path)
    {
        if (JsonNumber.TryGetElement(json, out var number) && number.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        if (Value(json) is { } v)
        {
            if (v.TryGetValue<string>(out var s))
            {
                switch (s)
                {
                    case "NaN":
                        return double.NaN;
                    case "Infinity":
                        return double.PositiveInfinity;
                    case "-Infinity":
                        return double.NegativeInfinity;
                }
            }
        }

        throw Mismatch(json, schema, path);
    }

    // A float is parsed as a float, not through double, so that a shortest round-trip float literal
    // reads back as exactly the float that was written.
    private static float ReadFloat(JsonNode? json, Schema schema, string path)
    {
        if (!JsonNumber.TryGetElement(json, out var number))
        {
            return (float)ReadFloatingPoint(json, schema, path)!.Value;
        }

        return number.TryGetSingle(out var f) && float.IsFinite(f)
            ? f
            : throw new AvroValueException($"{AvroSchemaParser.Describe(json)} is outside the range of float.", path);
    }

    private static byte[] ReadBytes(JsonNode? json, Schema schema, int? size, string path)
    {
        if (Value(json) is not { } v || !v.TryGetValue<string>(out var s))
        {
            throw Mismatch(json, schema, path);
        }

        if (size is { } n && s.Length != n)
        {
            throw new AvroValueException(
                $"A value of {schema.DisplayName} must be a string of {n} characters (one per byte), not {s.Length}.", path);
        }

        var bytes = new byte[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 0xFF)
            {
                throw new AvroValueException(
                    $"Character U+{(int)s[i]:X4} at index {i} is not a byte: {schema.DisplayName} is encoded as a string of code points 0 to 255.",
                    path);
            }

            bytes[i] = (byte)s[i];
        }

        return bytes;
    }

    private static JsonValue? Value(JsonNode? json) => json as JsonValue;

    private static AvroValueException Mismatch(JsonNode? json, Schema schema, string path) =>
        new($"{AvroSchemaParser.Describe(json)} is not a value of {schema.DisplayName}.", path);

    private static AvroValueException IntegerMismatch(JsonNode? json, Schema schema, string path) =>
        Value(json) is { } v && v.GetValueKind() == JsonValueKind.Number
            ? new AvroValueException(
                $"{AvroSchemaParser.Describe(json)} is not a value of {schema.DisplayName}: it must be an integer within the range of {Schema.TypeName(schema.Type)}.",
                path)
            : Mismatch(json, schema, path);
}
