using System.Text.Json.Nodes;
using Streams.Formats.Avro.Json;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>
/// Generates random, valid, non-recursive Avro schemas from a seed, for property tests: every type, logical
/// types, nesting, unions, named types in several namespaces (and references back to them), docs, aliases,
/// sort orders, custom properties and field defaults. The same seed always gives the same schemas.
/// </summary>
public sealed class RandomSchemaGenerator
{
    private static readonly string?[] Namespaces = [null, "com.acme", "org.example.deep.ns"];

    private readonly Random _random;
    private readonly RandomValueGenerator _values;
    private readonly List<NamedSchema> _defined = [];
    private readonly bool _includeErrors;
    private readonly bool _includeLogicalTypes;
    private int _counter;

    /// <summary>
    /// Creates a generator; <paramref name="maxDepth"/> bounds the nesting of complex types and
    /// <paramref name="includeErrors"/> allows Avro <c>error</c> records (which python3-avro's compatibility checker rejects),
    /// <paramref name="includeLogicalTypes"/> logical types (which python3-avro turns into its own value types).
    /// </summary>
    public RandomSchemaGenerator(int seed, int maxDepth = 4, bool includeErrors = true, bool includeLogicalTypes = true)
    {
        _includeErrors = includeErrors;
        _includeLogicalTypes = includeLogicalTypes;
        _random = new Random(seed);
        _values = new RandomValueGenerator(seed ^ 0x5EED);
        MaxDepth = maxDepth;
    }

    /// <summary>The deepest nesting of complex types.</summary>
    public int MaxDepth { get; }

    /// <summary>A random record schema (the usual root of data), with fresh names.</summary>
    public RecordSchema NextRecord()
    {
        _defined.Clear();
        return Record(0, Pick(Namespaces));
    }

    /// <summary>A random schema of any kind.</summary>
    public Schema NextSchema()
    {
        _defined.Clear();
        return _random.Next(4) == 0 ? Next(0, Pick(Namespaces)) : Record(0, Pick(Namespaces));
    }

    private Schema Next(int depth, string? ns, bool allowUnion = true)
    {
        var complex = depth < MaxDepth;
        var choice = _random.Next(complex ? 20 : 12);
        return choice switch
        {
            < 6 => Primitive(),
            < 10 when _includeLogicalTypes => Logical(ns),
            < 10 => Primitive(),
            10 => Enum(ns),
            11 => Fixed(ns, _random.Next(0, 20), null),
            12 or 13 => new ArraySchema(Next(depth + 1, ns), Properties()),
            14 or 15 => new MapSchema(Next(depth + 1, ns), Properties()),
            16 or 17 when allowUnion => Union(depth, ns),
            18 when _defined.Count > 0 => Pick(_defined),
            _ => Record(depth + 1, ns),
        };
    }

    private Schema Primitive()
    {
        var type = (SchemaType)_random.Next(0, 8);
        return _random.Next(5) == 0 ? new PrimitiveSchema(type, null, Properties(force: true)) : PrimitiveSchema.Of(type);
    }

    private Schema Logical(string? ns) => _random.Next(14) switch
    {
        0 => new PrimitiveSchema(SchemaType.Bytes, RandomDecimal(40)),
        1 => DecimalFixed(ns),
        2 => new PrimitiveSchema(SchemaType.String, LogicalType.Uuid),
        3 => Fixed(ns, 16, LogicalType.Uuid),
        4 => new PrimitiveSchema(SchemaType.Int, LogicalType.Date),
        5 => new PrimitiveSchema(SchemaType.Int, LogicalType.TimeMillis),
        6 => new PrimitiveSchema(SchemaType.Long, LogicalType.TimeMicros),
        7 => new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMillis),
        8 => new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros),
        9 => new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampNanos),
        10 => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMillis),
        11 => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampMicros),
        12 => new PrimitiveSchema(SchemaType.Long, LogicalType.LocalTimestampNanos),
        _ => Fixed(ns, 12, LogicalType.Duration),
    };

    private FixedSchema DecimalFixed(string? ns)
    {
        // A fixed of n bytes holds floor(log10(2^(8n-1) - 1)) digits; 2^k is never a power of ten, so
        // floor(k * log10(2)) is the same number.
        var size = _random.Next(1, 17);
        return Fixed(ns, size, RandomDecimal((int)Math.Floor((8 * size - 1) * Math.Log10(2))));
    }

    private LogicalType RandomDecimal(int maxPrecision)
    {
        var precision = _random.Next(1, maxPrecision + 1);
        return LogicalType.Decimal(precision, _random.Next(0, precision + 1));
    }

    private FixedSchema Fixed(string? ns, int size, LogicalType? logicalType)
    {
        var schema = new FixedSchema(NewName("F", ns), size, logicalType, Doc(), Aliases(ns), Properties());
        _defined.Add(schema);
        return schema;
    }

    private EnumSchema Enum(string? ns)
    {
        var symbols = Enumerable.Range(0, _random.Next(1, 6)).Select(i => $"S{i}_{_random.Next(100)}").Distinct().ToList();
        var schema = new EnumSchema(NewName("E", ns), symbols, _random.Next(3) == 0 ? Pick(symbols) : null, Doc(), Aliases(ns),
            Properties());
        _defined.Add(schema);
        return schema;
    }

    private UnionSchema Union(int depth, string? ns)
    {
        var branches = new List<Schema>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (_random.Next(2) == 0)
        {
            branches.Add(PrimitiveSchema.Null);
            keys.Add("null");
        }

        var count = _random.Next(1, 4);
        for (var attempts = 0; branches.Count < count + 1 && attempts < 10; attempts++)
        {
            var branch = Next(depth + 1, ns, allowUnion: false);
            var key = branch is NamedSchema named ? named.FullName : Schema.TypeName(branch.Type);
            if (keys.Add(key))
            {
                branches.Add(branch);
            }
        }

        if (_random.Next(4) == 0 && !keys.Contains("null"))
        {
            branches.Add(PrimitiveSchema.Null);
        }

        return new UnionSchema(branches);
    }

    private RecordSchema Record(int depth, string? ns)
    {
        var name = NewName("R", ns);
        var record = new RecordSchema(name, null, Doc(), Aliases(name.Namespace), isError: _random.Next(20) == 0 && _includeErrors, Properties());
        var fields = new List<Field>();
        var fieldCount = depth >= MaxDepth ? _random.Next(0, 3) : _random.Next(0, 6);
        for (var i = 0; i < fieldCount; i++)
        {
            // Nested types sometimes live in another namespace than the record's.
            var fieldNs = _random.Next(5) == 0 ? Pick(Namespaces) : name.Namespace;
            var schema = Next(depth + 1, fieldNs);
            var hasDefault = _random.Next(3) == 0;
            var defaultValue = hasDefault ? AvroJsonEncoder.EncodeDefault(_values.NextDefault(schema), schema) : null;
            fields.Add(new Field($"f{i}", schema, Doc(), hasDefault, defaultValue,
                (SortOrder)_random.Next(3), _random.Next(5) == 0 ? [$"old_f{i}"] : null, Properties()));
        }

        record.SetFields(fields);
        _defined.Add(record);
        return record;
    }

    private SchemaName NewName(string prefix, string? ns) => new($"{prefix}{++_counter}", ns);

    private string? Doc() => _random.Next(4) == 0 ? $"doc \"{_counter}\" é ✓" : null;

    private IReadOnlyList<SchemaName>? Aliases(string? ns) =>
        _random.Next(6) == 0 ? [new SchemaName($"Alias{_counter}", ns), new SchemaName("Other", "legacy.names")] : null;

    private Dictionary<string, JsonNode?>? Properties(bool force = false)
    {
        if (!force && _random.Next(6) != 0)
        {
            return null;
        }

        return new Dictionary<string, JsonNode?>
        {
            [$"x-prop{_random.Next(3)}"] = _random.Next(3) switch
            {
                0 => JsonValue.Create("v"),
                1 => new JsonObject { ["n"] = 1, ["list"] = new JsonArray(1, "two", null) },
                _ => null,
            },
        };
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
