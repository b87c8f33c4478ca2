using System.Collections.Frozen;
using Streams.Formats.Model;

namespace Streams.Formats.Avro;

/// <summary>
/// Picks the branch of a union that holds a value, by the rule in docs/record-model.md: <c>null</c> to the
/// null branch, a <see cref="GenericRecord"/> to the record branch of its full name, otherwise the first
/// branch (in order) whose CLR type matches, an <c>int</c> also matching long, float and double branches
/// and a <c>long</c> float and double ones. Built once per union; shared by every codec that writes unions.
/// </summary>
public sealed class UnionBranchSelector
{
    private readonly Func<object, bool>[] _accepts;
    private readonly int _nullIndex;
    private readonly FrozenDictionary<string, int> _records;

    /// <summary>Builds the selector for <paramref name="union"/>.</summary>
    public UnionBranchSelector(UnionSchema union)
    {
        ArgumentNullException.ThrowIfNull(union);
        Union = union;
        _nullIndex = -1;
        var records = new Dictionary<string, int>(StringComparer.Ordinal);
        _accepts = new Func<object, bool>[union.Branches.Count];
        for (var i = 0; i < union.Branches.Count; i++)
        {
            var branch = union.Branches[i];
            if (branch.IsNull && _nullIndex < 0)
            {
                _nullIndex = i;
            }

            if (branch is RecordSchema record)
            {
                records.TryAdd(record.FullName, i);
            }

            _accepts[i] = AcceptsFunc(branch);
        }

        _records = records.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The union.</summary>
    public UnionSchema Union { get; }

    /// <summary>The index of the branch for <paramref name="value"/>, or -1 when no branch accepts it.</summary>
    public int Select(object? value)
    {
        if (value is null)
        {
            return _nullIndex;
        }

        if (value is GenericRecord record)
        {
            return _records.GetValueOrDefault(record.Schema.FullName, -1);
        }

        var accepts = _accepts;
        for (var i = 0; i < accepts.Length; i++)
        {
            if (accepts[i](value))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when a value of this CLR type and content can be written with <paramref name="schema"/> (not a union).</summary>
    public static bool Accepts(Schema schema, object value) => AcceptsFunc(schema)(value);

    private static Func<object, bool> AcceptsFunc(Schema schema)
    {
        var logical = AvroLogical.EffectiveLogicalName(schema);
        return (schema.Type, logical) switch
        {
            (SchemaType.Null, _) => static _ => false,
            (SchemaType.Boolean, _) => static v => v is bool,
            (SchemaType.Int, null) => static v => v is int,
            (SchemaType.Int, LogicalType.DateName) => static v => v is DateOnly,
            (SchemaType.Int, _) => static v => v is TimeOnly,
            (SchemaType.Long, null or LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName) =>
                static v => v is long or int,
            (SchemaType.Long, LogicalType.TimeMicrosName) => static v => v is TimeOnly,
            (SchemaType.Long, _) => static v => v is DateTime or DateTimeOffset,
            (SchemaType.Float, _) => static v => v is float or int or long,
            (SchemaType.Double, _) => static v => v is double or int or long,
            (SchemaType.Bytes, null) => static v => v is byte[],
            (SchemaType.Bytes, _) => static v => v is DecimalValue or decimal,
            (SchemaType.String, null) => static v => v is string,
            (SchemaType.String, _) => static v => v is Guid,
            (SchemaType.Enum, _) => v => v is string s && ((EnumSchema)schema).IndexOf(s) >= 0,
            (SchemaType.Fixed, null) => v => v is byte[] b && b.Length == ((FixedSchema)schema).Size,
            (SchemaType.Fixed, LogicalType.DecimalName) => static v => v is DecimalValue or decimal,
            (SchemaType.Fixed, LogicalType.UuidName) => static v => v is Guid,
            (SchemaType.Fixed, _) => static v => v is DurationValue,
            (SchemaType.Array, _) => static v => v is IReadOnlyList<object?>,
            (SchemaType.Map, _) => static v => v is IReadOnlyDictionary<string, object?>,
            (SchemaType.Record, _) => v => v is GenericRecord r && r.Schema.FullName == ((RecordSchema)schema).FullName,
            _ => static _ => false,
        };
    }
}
