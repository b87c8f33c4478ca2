using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Compiles a schema into a plan that moves an <see cref="AvroReader"/> past a value without
/// materialising it: fixed-size values by their size, arrays and maps written with byte sizes in one jump.
/// Used for fields a reader schema does not want and for union branches it does not read.
/// </summary>
internal sealed class AvroSkipper
{
    internal delegate void ValueSkipper(ref AvroReader reader);

    private readonly Dictionary<RecordSchema, RecordSkip> _records = new(ReferenceEqualityComparer.Instance);

    /// <summary>The skip plan of <paramref name="schema"/>.</summary>
    public static ValueSkipper For(Schema schema) => new AvroSkipper().Compile(schema);

    private ValueSkipper Compile(Schema schema)
    {
        switch (schema)
        {
            case { Type: SchemaType.Null }:
                return static (ref AvroReader _) => { };
            case { Type: SchemaType.Boolean }:
                return static (ref AvroReader r) => r.Skip(1);
            case { Type: SchemaType.Int or SchemaType.Long or SchemaType.Enum }:
                return static (ref AvroReader r) => r.SkipLong();
            case { Type: SchemaType.Float }:
                return static (ref AvroReader r) => r.Skip(4);
            case { Type: SchemaType.Double }:
                return static (ref AvroReader r) => r.Skip(8);
            case { Type: SchemaType.Bytes or SchemaType.String }:
                return static (ref AvroReader r) => r.SkipBytes();
            case FixedSchema fixedSchema:
                var size = fixedSchema.Size;
                return (ref AvroReader r) => r.Skip(size);
            case ArraySchema array:
                return Blocks(Compile(array.Items));
            case MapSchema map:
                var value = Compile(map.Values);
                return Blocks((ref AvroReader r) =>
                {
                    r.SkipBytes();
                    value(ref r);
                });
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

                var plan = new RecordSkip();
                _records.Add(record, plan);
                plan.Fields = record.Fields.Select(f => Compile(f.Schema)).ToArray();
                _records.Remove(record);
                return plan.Skip;
            default:
                throw new ArgumentOutOfRangeException(nameof(schema), schema.Type, "Unknown schema type.");
        }
    }

    /// <summary>Skips the blocks of an array or map: in one jump when a block carries its byte size, else entry by entry.</summary>
    private static ValueSkipper Blocks(ValueSkipper entry) => (ref AvroReader r) =>
    {
        while (true)
        {
            var count = r.ReadBlockCount(out var byteSize);
            if (count == 0)
            {
                return;
            }

            if (byteSize >= 0)
            {
                r.Skip(byteSize);
                continue;
            }

            for (var i = 0L; i < count; i++)
            {
                entry(ref r);
            }
        }
    };

    private sealed class RecordSkip
    {
        public ValueSkipper[] Fields { get; set; } = [];

        public void Skip(ref AvroReader r)
        {
            foreach (var field in Fields)
            {
                field(ref r);
            }
        }
    }
}
