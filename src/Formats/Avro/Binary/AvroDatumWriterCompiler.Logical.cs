using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;
using static Streams.Formats.Avro.Binary.AvroDatumWriter;
using static Streams.Formats.Avro.Binary.AvroWriteErrors;

namespace Streams.Formats.Avro.Binary;

// Logical types whose encoding needs more than a cast: timestamps of every unit and decimals on bytes.
internal sealed partial class AvroDatumWriterCompiler
{
    private static ValueWriter CompileTimestamp(Schema schema, string logical, string path)
    {
        var utc = !logical.StartsWith("local-", StringComparison.Ordinal);
        var ticksPerUnit = logical.EndsWith("millis", StringComparison.Ordinal) ? TimeSpan.TicksPerMillisecond : 10;
        return (ref AvroWriter w, object? v) =>
        {
            if (!AvroLogical.TryGetTicksSinceEpoch(v, utc, out var ticks))
            {
                throw Mismatch(path, schema, v);
            }

            w.WriteLong(AvroLogical.FloorDiv(ticks, ticksPerUnit));
        };
    }

    private static ValueWriter CompileBytesDecimal(Schema schema, string path) => (ref AvroWriter w, object? v) =>
        w.WriteBytes(DecimalBytes(v, schema, path));

    /// <summary>
    /// The big-endian two's complement bytes of a decimal value (sign-extended to the size of a fixed), through the
    /// conversion every codec shares, which checks the CLR type, the scale, the precision and the fixed size.
    /// </summary>
    private static byte[] DecimalBytes(object? v, Schema schema, string path) => v is DecimalValue or decimal
        ? (byte[])AvroLogicalValues.ToUnderlying(schema, v, path)
        : throw Mismatch(path, schema, v);
}
