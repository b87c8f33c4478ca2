using System.Text.Unicode;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Finds where a datum of a schema ends without building it, refusing what <see cref="AvroDatumReader"/> would refuse for the
/// same schema: truncation, ints out of range, booleans other than 0 and 1, invalid UTF-8, enum and union indexes out of range,
/// block counts the data cannot hold. Unlike <see cref="AvroSkipper"/> (which trusts the data it jumps over), every array item
/// and map entry is visited. Only for schemas without logical types: those are checked when read (<see cref="Supports"/>).
/// </summary>
internal sealed class AvroDatumScanner
{
    private readonly Dictionary<RecordSchema, RecordScan> _records = new(ReferenceEqualityComparer.Instance);
    private readonly AvroSkipper.ValueSkipper _root;

    private AvroDatumScanner(Schema schema) => _root = Compile(schema);

    /// <summary>True when scanning <paramref name="schema"/>'s data accepts exactly what reading it does: no logical type anywhere.</summary>
    public static bool Supports(Schema schema) => SupportsAll(schema, new HashSet<Schema>(ReferenceEqualityComparer.Instance));

    /// <summary>The scanner of <paramref name="schema"/>, which <see cref="Supports"/>.</summary>
    public static AvroDatumScanner For(Schema schema) =>
        Supports(schema) ? new AvroDatumScanner(schema) : throw new ArgumentException($"{schema.DisplayName} holds logical types.", nameof(schema));

    /// <summary>Moves <paramref name="reader"/> past one datum.</summary>
    /// <exception cref="AvroDataException">The datum is truncated or malformed.</exception>
    public void Skip(ref AvroReader reader) => _root(ref reader);

    private static bool SupportsAll(Schema schema, HashSet<Schema> seen)
    {
        if (!seen.Add(schema))
        {
            return true;
        }

        return schema.LogicalType is null && schema switch
        {
            RecordSchema record => record.Fields.All(f => SupportsAll(f.Schema, seen)),
            ArraySchema array => SupportsAll(array.Items, seen),
            MapSchema map => SupportsAll(map.Values, seen),
            UnionSchema union => union.Branches.All(b => SupportsAll(b, seen)),
            _ => true,
        };
    }

    private AvroSkipper.ValueSkipper Compile(Schema schema)
    {
        switch (schema)
        {
            case { Type: SchemaType.Null }:
                return static (ref AvroReader _) => { };
            case { Type: SchemaType.Boolean }:
                return static (ref AvroReader r) => r.ReadBoolean();
            case { Type: SchemaType.Int }:
                return static (ref AvroReader r) => r.ReadInt();
            case { Type: SchemaType.Long }:
                return static (ref AvroReader r) => r.ReadLong();
            case { Type: SchemaType.Float }:
                return static (ref AvroReader r) => r.Skip(4);
            case { Type: SchemaType.Double }:
                return static (ref AvroReader r) => r.Skip(8);
            case { Type: SchemaType.Bytes }:
                return static (ref AvroReader r) => r.SkipBytes();
            case { Type: SchemaType.String }:
                return SkipString;
            case FixedSchema fixedSchema:
                var size = fixedSchema.Size;
                return (ref AvroReader r) => r.ReadFixed(size);
            case EnumSchema enumSchema:
                var symbols = enumSchema.Symbols.Count;
                return (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var index = r.ReadInt();
                    if ((uint)index >= (uint)symbols)
                    {
                        throw r.Malformed($"Enum index {index} is out of range for {enumSchema.DisplayName} ({symbols} symbols)", start);
                    }
                };
            case ArraySchema array:
                var item = Compile(array.Items);
                var minimumItemSize = AvroValueReaders.MinimumSize(array.Items);
                return (ref AvroReader r) =>
                {
                    int count;
                    while ((count = AvroDatumReader.CheckedBlockCount(ref r, minimumItemSize, "array")) > 0)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            item(ref r);
                        }
                    }
                };
            case MapSchema map:
                var value = Compile(map.Values);
                return (ref AvroReader r) =>
                {
                    int count;
                    while ((count = AvroDatumReader.CheckedBlockCount(ref r, 1, "map")) > 0)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            SkipString(ref r);
                            value(ref r);
                        }
                    }
                };
            case UnionSchema union:
                var branches = union.Branches.Select(Compile).ToArray();
                return (ref AvroReader r) =>
                {
                    var start = r.Position;
                    var index = r.ReadLong();
                    if ((ulong)index >= (ulong)branches.Length)
                    {
                        throw r.Malformed($"Union branch index {index} is out of range for {union.DisplayName}", start);
                    }

                    branches[index](ref r);
                };
            case RecordSchema record:
                if (_records.TryGetValue(record, out var pending))
                {
                    return pending.Skip;
                }

                var plan = new RecordScan();
                _records.Add(record, plan);
                plan.Fields = record.Fields.Select(f => Compile(f.Schema)).ToArray();
                return plan.Skip;
            default:
                throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
        }
    }

    private static void SkipString(ref AvroReader r)
    {
        var start = r.Offset;
        if (!Utf8.IsValid(r.ReadBytesSpan()))
        {
            throw new AvroDataException($"Malformed string at offset {start}: invalid UTF-8.", start);
        }
    }

    private sealed class RecordScan
    {
        public AvroSkipper.ValueSkipper[] Fields { get; set; } = [];

        public void Skip(ref AvroReader r)
        {
            foreach (var field in Fields)
            {
                field(ref r);
            }
        }
    }
}
