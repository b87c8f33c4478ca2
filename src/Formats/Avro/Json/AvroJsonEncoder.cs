using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Json;

/// <summary>
/// Writes model values (docs/record-model.md) in Avro's JSON encoding (Avro 1.11 specification,
/// "JSON Encoding"), or as field defaults; the inverse of <see cref="AvroJsonDecoder"/>.
/// </summary>
/// <remarks>
/// A union value is written as JSON null for the null branch and as <c>{"branch name": value}</c> otherwise,
/// the branch picked by <see cref="UnionBranchSelector"/>; as a default it is the bare value of the
/// union's first branch. <c>bytes</c> and <c>fixed</c> become strings of the code points 0–255, logical
/// types their underlying type's encoding, and non-finite floats the strings <c>"NaN"</c>,
/// <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </remarks>
public static class AvroJsonEncoder
{
    private static readonly JsonSerializerOptions TextOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Encodes <paramref name="value"/> in Avro's JSON encoding.</summary>
    /// <exception cref="AvroValueException">The value does not fit <paramref name="schema"/>; the path says where.</exception>
    public static JsonNode? Encode(object? value, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Write(value, schema, wrapped: true, "");
    }

    /// <summary>Encodes <paramref name="value"/> in Avro's JSON encoding as compact JSON text.</summary>
    public static string EncodeToString(object? value, Schema schema) =>
        Encode(value, schema)?.ToJsonString(TextOptions) ?? "null";

    /// <summary>Encodes <paramref name="value"/> as a field default of <paramref name="schema"/>, for <see cref="Field"/>.</summary>
    /// <exception cref="AvroValueException">
    /// The value does not fit, or (for a union) is not a value of the union's first branch.
    /// </exception>
    public static JsonNode? EncodeDefault(object? value, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Write(value, schema, wrapped: false, "");
    }

    private static JsonNode? Write(object? value, Schema schema, bool wrapped, string path)
    {
        if (schema is UnionSchema union)
        {
            return WriteUnion(value, union, wrapped, path);
        }

        if (value is null)
        {
            return schema.IsNull ? null : throw Mismatch(value, schema, path);
        }

        var underlying = schema.LogicalType is null ? value : AvroLogicalValues.ToUnderlying(schema, value, path);
        return (schema, underlying) switch
        {
            ({ Type: SchemaType.Boolean }, bool b) => JsonValue.Create(b),
            ({ Type: SchemaType.Int }, int i) => JsonValue.Create(i),
            ({ Type: SchemaType.Long }, long l) => JsonValue.Create(l),
            ({ Type: SchemaType.Long }, int i) => JsonValue.Create((long)i),
            ({ Type: SchemaType.Float }, float f) => FloatingPoint(f),
            ({ Type: SchemaType.Float }, int i) => FloatingPoint((float)i),
            ({ Type: SchemaType.Float }, long l) => FloatingPoint((float)l),
            ({ Type: SchemaType.Double }, double d) => FloatingPoint(d),
            ({ Type: SchemaType.Double }, float f) => FloatingPoint((double)f),
            ({ Type: SchemaType.Double }, int i) => FloatingPoint((double)i),
            ({ Type: SchemaType.Double }, long l) => FloatingPoint((double)l),
            ({ Type: SchemaType.Bytes }, byte[] bytes) => JsonValue.Create(Latin1(bytes)),
            ({ Type: SchemaType.String }, string s) => JsonValue.Create(s),
            (RecordSchema record, GenericRecord r) => WriteRecord(r, record, wrapped, path),
            (EnumSchema e, string symbol) => e.IndexOf(symbol) >= 0
                ? JsonValue.Create(symbol)
                : throw new AvroValueException(
                    $"\"{symbol}\" is not a symbol of enum {e.FullName} ({string.Join(", ", e.Symbols)}).", path),
            (ArraySchema array, IEnumerable items and not string and not byte[] and not IDictionary
                and not IReadOnlyDictionary<string, object?>) => WriteArray(items, array, wrapped, path),
            (MapSchema map, IReadOnlyDictionary<string, object?> entries) => WriteMap(entries, map, wrapped, path),
            (MapSchema map, IDictionary entries) => WriteMap(Entries(entries, path), map, wrapped, path),
            (FixedSchema f, byte[] bytes) => bytes.Length == f.Size
                ? JsonValue.Create(Latin1(bytes))
                : throw new AvroValueException(
                    $"A value of {f.DisplayName} must have {f.Size} bytes, not {bytes.Length}.", path),
            _ => throw Mismatch(value, schema, path),
        };
    }

    private static JsonNode? WriteUnion(object? value, UnionSchema union, bool wrapped, string path)
    {
        if (!wrapped)
        {
            if (union.Branches.Count == 0 || !UnionBranchSelector.Accepts(union.Branches[0], value))
            {
                throw new AvroValueException(
                    $"A default of {union.DisplayName} must be a value of its first branch, not {Describe(value)}.", path);
            }

            return Write(value, union.Branches[0], wrapped, SchemaPath.Branch(path, 0));
        }

        var index = UnionBranchSelector.Select(union, value);
        if (index < 0)
        {
            throw new AvroValueException($"{Describe(value)} is a value of no branch of {union.DisplayName}.", path);
        }

        var branch = union.Branches[index];
        return branch.IsNull
            ? null
            : new JsonObject { [AvroJsonDecoder.BranchName(branch)] = Write(value, branch, wrapped, SchemaPath.Branch(path, index)) };
    }

    private static JsonObject WriteRecord(GenericRecord value, RecordSchema record, bool wrapped, string path)
    {
        if (value.Schema.FullName != record.FullName)
        {
            throw new AvroValueException($"A record {value.Schema.FullName} is not a value of {record.DisplayName}.", path);
        }

        var sameSchema = ReferenceEquals(value.Schema, record);
        var obj = new JsonObject();
        foreach (var field in record.Fields)
        {
            var fieldPath = SchemaPath.Field(path, field.Name);
            object? fieldValue;
            if (sameSchema)
            {
                fieldValue = value[field.Position];
            }
            else if (!value.TryGetValue(field.Name, out fieldValue))
            {
                throw new AvroValueException(
                    $"The record has no field '{field.Name}', which {record.FullName} requires.", fieldPath);
            }

            obj[field.Name] = Write(fieldValue, field.Schema, wrapped, fieldPath);
        }

        return obj;
    }

    private static JsonArray WriteArray(IEnumerable items, ArraySchema schema, bool wrapped, string path)
    {
        var array = new JsonArray();
        var i = 0;
        foreach (var item in items)
        {
            array.Add(Write(item, schema.Items, wrapped, SchemaPath.Element(path, i++)));
        }

        return array;
    }

    private static JsonObject WriteMap(IEnumerable<KeyValuePair<string, object?>> entries, MapSchema schema, bool wrapped, string path)
    {
        var obj = new JsonObject();
        foreach (var (key, item) in entries)
        {
            obj[key] = Write(item, schema.Values, wrapped, SchemaPath.Entry(path, key));
        }

        return obj;
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary map, string path)
    {
        foreach (DictionaryEntry entry in map)
        {
            yield return entry.Key is string key
                ? KeyValuePair.Create(key, entry.Value)
                : throw new AvroValueException($"A map key must be a string, not {Describe(entry.Key)}.", path);
        }
    }

    private static JsonValue FloatingPoint(double d) =>
        double.IsNaN(d) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(d) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(d) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(d);

    private static JsonValue FloatingPoint(float f) =>
        float.IsFinite(f) ? JsonValue.Create(f) : FloatingPoint((double)f);

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static string Describe(object? value) =>
        value is null ? "null" : $"{value.GetType().Name} {ValueEquality.Format(value)}";

    private static AvroValueException Mismatch(object? value, Schema schema, string path) =>
        new($"{Describe(value)} is not a value of {schema.DisplayName}; expected {AvroLogicalValues.ExpectedClrType(schema)}.", path);
}
