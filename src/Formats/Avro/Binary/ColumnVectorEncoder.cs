using System.Buffers;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Binary;

/// <summary>
/// Writes the rows of a run of <see cref="ColumnVector"/>s (one per field of a record schema) in Avro binary encoding,
/// with no record or boxed value per row: numbers go from the vectors' arrays, and each distinct value of a
/// dictionary-coded vector (and a null) is encoded once, by <see cref="AvroDatumWriter"/>, and copied per row. A row's
/// bytes are those <see cref="AvroDatumWriter"/> writes for the record <see cref="ColumnVector.ValueAt"/> gives.
/// </summary>
/// <remarks>
/// Only what it can write byte for byte as the record path does is taken (<see cref="TryCreate"/> says null
/// otherwise): int, long, float and double fields (or a union of null and one of them) from vectors of that very type,
/// and any field from a dictionary-coded vector whose values (and null, where the column has nulls) the schema takes.
/// </remarks>
public sealed class ColumnVectorEncoder
{
    private readonly FieldEncoder[] _fields;

    private ColumnVectorEncoder(FieldEncoder[] fields, int rows)
    {
        _fields = fields;
        Rows = rows;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>
    /// An encoder of <paramref name="schema"/> records from <paramref name="vectors"/> (by field position, all of one
    /// length), or null when a field has no vector or one this encoder cannot write exactly as the record path would
    /// (then encode records instead: they report a value the schema does not take as that path reports it).
    /// </summary>
    public static ColumnVectorEncoder? TryCreate(RecordSchema schema, IReadOnlyList<ColumnVector?> vectors)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count != schema.Fields.Count)
        {
            return null;
        }

        var fields = new FieldEncoder[vectors.Count];
        var rows = -1;
        for (var i = 0; i < fields.Length; i++)
        {
            if (vectors[i] is not { } vector || (rows >= 0 && vector.Count != rows) || FieldEncoder.TryCreate(schema.Fields[i].Schema, vector) is not { } field)
            {
                return null;
            }

            rows = vector.Count;
            fields[i] = field;
        }

        return rows < 0 ? null : new ColumnVectorEncoder(fields, rows);
    }

    /// <summary>Appends the encoding of row <paramref name="row"/> to <paramref name="output"/>.</summary>
    public void Encode(int row, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        var writer = new AvroWriter(output);
        foreach (var field in _fields)
        {
            field.Write(ref writer, row);
        }

        writer.Flush();
    }

    private enum Kind
    {
        Long,
        Float,
        Double,
        Coded,
    }

    /// <summary>How one field's values are written: the kind of value, the vector, and what is encoded once.</summary>
    private sealed class FieldEncoder
    {
        private readonly Kind _kind;
        private readonly ColumnVector _vector;
        private readonly bool[]? _nulls;
        private readonly byte[] _null;
        private readonly byte[] _branch;
        private readonly byte[][] _coded;

        private FieldEncoder(Kind kind, ColumnVector vector, byte[] nullBytes, byte[] branch, byte[][] coded)
        {
            _kind = kind;
            _vector = vector;
            _nulls = vector.Nulls;
            _null = nullBytes;
            _branch = branch;
            _coded = coded;
        }

        public static FieldEncoder? TryCreate(Schema schema, ColumnVector vector)
        {
            var writer = AvroDatumWriter.For(schema);
            byte[] nullBytes = [];
            if (vector.Nulls is not null && !TryEncode(writer, null, out nullBytes))
            {
                return null;
            }

            if (vector.Type == ColumnValueType.Coded)
            {
                var coded = new byte[vector.Dictionary!.Length][];
                for (var i = 0; i < coded.Length; i++)
                {
                    if (!TryEncode(writer, vector.Dictionary[i], out coded[i]))
                    {
                        return null;
                    }
                }

                return new FieldEncoder(Kind.Coded, vector, nullBytes, [], coded);
            }

            // A number is written as its schema's type, behind the branch index when the schema is null and that type.
            var (valueSchema, branch) = schema switch
            {
                UnionSchema { Branches.Count: 2 } u when u.Branches[0].IsNull => (u.Branches[1], new byte[] { 2 }),
                UnionSchema { Branches.Count: 2 } u when u.Branches[1].IsNull => (u.Branches[0], new byte[] { 0 }),
                UnionSchema => (null, []),
                _ => (schema, []),
            };
            if (valueSchema is null || valueSchema.LogicalType is not null)
            {
                return null;
            }

            Kind? kind = (valueSchema.Type, vector.Type) switch
            {
                (SchemaType.Int, ColumnValueType.Int32) or (SchemaType.Long, ColumnValueType.Int64) => Kind.Long,
                (SchemaType.Float, ColumnValueType.Float) => Kind.Float,
                (SchemaType.Double, ColumnValueType.Double) => Kind.Double,
                _ => null,
            };
            return kind is { } k ? new FieldEncoder(k, vector, nullBytes, branch, []) : null;
        }

        public void Write(ref AvroWriter writer, int row)
        {
            if (_nulls is { } nulls && nulls[row])
            {
                writer.WriteFixed(_null);
                return;
            }

            switch (_kind)
            {
                case Kind.Coded:
                    writer.WriteFixed(_coded[_vector.Longs[row]]);
                    return;
                case Kind.Long:
                    writer.WriteFixed(_branch);
                    writer.WriteLong(_vector.Longs[row]);
                    return;
                case Kind.Float:
                    writer.WriteFixed(_branch);
                    writer.WriteFloat((float)_vector.Doubles[row]);
                    return;
                default:
                    writer.WriteFixed(_branch);
                    writer.WriteDouble(_vector.Doubles[row]);
                    return;
            }
        }

        private static bool TryEncode(AvroDatumWriter writer, object? value, out byte[] bytes)
        {
            var buffer = new ArrayBufferWriter<byte>(16);
            try
            {
                writer.Write(value, buffer);
            }
            catch (AvroValueException)
            {
                bytes = [];
                return false;
            }

            bytes = buffer.WrittenSpan.ToArray();
            return true;
        }
    }
}
