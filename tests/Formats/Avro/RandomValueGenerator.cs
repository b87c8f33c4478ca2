using System.Numerics;
using System.Text;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Avro;

/// <summary>
/// Generates random model values (docs/record-model.md) for a schema from a seed, for property tests. Values
/// round-trip exactly through any correct codec: times and timestamps are whole units of their logical type,
/// decimals have the schema's scale and fit its precision, NaN is the canonical NaN, and a union value is of a
/// branch that <see cref="UnionBranchSelector"/> picks for it.
/// </summary>
public sealed class RandomValueGenerator(int seed)
{
    private static readonly string[] Texts = ["", "a", "é", "中文", "😀", "\"quoted\\\"", "tab\tnew\nline", "\u0000\u001f", "ascii text"];

    private readonly Random _random = new(seed);

    /// <summary>A random value of <paramref name="schema"/>.</summary>
    public object? Next(Schema schema) => Next(schema, firstBranch: false, 0);

    /// <summary>A random value usable as a field default: every union, however nested, holds its first branch.</summary>
    public object? NextDefault(Schema schema) => Next(schema, firstBranch: true, 0);

    /// <summary>A random record of <paramref name="schema"/>.</summary>
    public GenericRecord NextRecord(RecordSchema schema) => (GenericRecord)Next(schema)!;

    private object? Next(Schema schema, bool firstBranch, int depth)
    {
        if (schema.LogicalType is { } logical)
        {
            return Logical(schema, logical);
        }

        switch (schema)
        {
            case UnionSchema union:
                return Union(union, firstBranch, depth);
            case RecordSchema record:
                var values = new object?[record.Fields.Count];
                foreach (var field in record.Fields)
                {
                    values[field.Position] = Next(field.Schema, firstBranch, depth + 1);
                }

                return new GenericRecord(record, values);
            case EnumSchema e:
                return e.Symbols[_random.Next(e.Symbols.Count)];
            case ArraySchema array:
                var list = new List<object?>();
                for (var i = Count(depth); i > 0; i--)
                {
                    list.Add(Next(array.Items, firstBranch, depth + 1));
                }

                return list;
            case MapSchema map:
                var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = Count(depth); i > 0; i--)
                {
                    dictionary[$"{Text()}{i}"] = Next(map.Values, firstBranch, depth + 1);
                }

                return dictionary;
            case FixedSchema f:
                return Bytes(f.Size);
        }

        return schema.Type switch
        {
            SchemaType.Null => null,
            SchemaType.Boolean => _random.Next(2) == 0,
            SchemaType.Int => _random.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => _random.Next(-1000, 1000) },
            SchemaType.Long => _random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, _ => _random.NextInt64() - (long.MaxValue / 2) },
            SchemaType.Float => _random.Next(8) switch
            {
                0 => float.NaN,
                1 => float.NegativeInfinity,
                2 => float.Epsilon,
                3 => -0f,
                _ => BitConverter.Int32BitsToSingle(_random.Next()) is var f && float.IsFinite(f) ? f : 1.5f,
            },
            SchemaType.Double => _random.Next(8) switch
            {
                0 => double.NaN,
                1 => double.PositiveInfinity,
                2 => double.MaxValue,
                3 => -0d,
                _ => BitConverter.Int64BitsToDouble(_random.NextInt64()) is var d && double.IsFinite(d) ? d : 2.5,
            },
            SchemaType.Bytes => Bytes(_random.Next(0, 12)),
            SchemaType.String => Text(),
            _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, null),
        };
    }

    private object? Union(UnionSchema union, bool firstBranch, int depth)
    {
        if (union.Branches.Count == 0)
        {
            throw new ArgumentException("An empty union has no values.", nameof(union));
        }

        if (firstBranch)
        {
            return Next(union.Branches[0], firstBranch, depth + 1);
        }

        // Keep only values whose branch the writer would pick back (an int in ["double","int"] goes to double).
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var index = _random.Next(union.Branches.Count);
            var value = Next(union.Branches[index], firstBranch, depth + 1);
            if (UnionBranchSelector.Select(union, value) == index)
            {
                return value;
            }
        }

        return Next(union.Branches[0], firstBranch, depth + 1);
    }

    private object Logical(Schema schema, LogicalType logical) => logical.Name switch
    {
        LogicalType.DecimalName => new DecimalValue(Unscaled(logical.Precision), logical.Scale),
        LogicalType.UuidName => new Guid(Bytes(16)),
        LogicalType.DateName => DateOnly.FromDayNumber(_random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber + 1)),
        LogicalType.TimeMillisName => new TimeOnly(_random.NextInt64(0, 86_400_000) * TimeSpan.TicksPerMillisecond),
        LogicalType.TimeMicrosName => new TimeOnly(_random.NextInt64(0, 86_400_000_000) * 10),
        LogicalType.TimestampMillisName => Timestamp(TimeSpan.TicksPerMillisecond, DateTimeKind.Utc),
        LogicalType.TimestampMicrosName => Timestamp(10, DateTimeKind.Utc),
        LogicalType.LocalTimestampMillisName => Timestamp(TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified),
        LogicalType.LocalTimestampMicrosName => Timestamp(10, DateTimeKind.Unspecified),
        LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName => _random.NextInt64(long.MinValue, long.MaxValue),
        LogicalType.DurationName => new DurationValue((uint)_random.NextInt64(0, uint.MaxValue + 1L),
            (uint)_random.NextInt64(0, uint.MaxValue + 1L), (uint)_random.NextInt64(0, uint.MaxValue + 1L)),
        _ => throw new ArgumentException($"Unknown logical type {logical.Name} on {schema.DisplayName}.", nameof(schema)),
    };

    private DateTime Timestamp(long ticksPerUnit, DateTimeKind kind)
    {
        var units = _random.NextInt64(DateTime.MinValue.Ticks / ticksPerUnit, DateTime.MaxValue.Ticks / ticksPerUnit);
        return new DateTime(units * ticksPerUnit, kind);
    }

    private BigInteger Unscaled(int precision)
    {
        var digits = _random.Next(0, precision + 1);
        var text = new StringBuilder(digits + 1).Append('0');
        for (var i = 0; i < digits; i++)
        {
            text.Append((char)('0' + _random.Next(10)));
        }

        var value = BigInteger.Parse(text.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        return _random.Next(2) == 0 ? -value : value;
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Text() => _random.Next(3) == 0
        ? Texts[_random.Next(Texts.Length)] + Texts[_random.Next(Texts.Length)]
        : Texts[_random.Next(Texts.Length)];

    private int Count(int depth) => depth > 6 ? 0 : _random.Next(0, 4);
}
