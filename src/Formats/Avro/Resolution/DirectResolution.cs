using System.Text;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Resolution;

/// <summary>
/// A primitive or fixed read as the same kind, or promoted (int to long, float or double; long to float or double;
/// float to double; string to bytes and back).
/// </summary>
/// <remarks>
/// A decoder reads the writer's underlying value, applies <see cref="Promote"/>, then converts to the reader's
/// logical type, if any, with <see cref="AvroLogicalValues.ToLogical"/>. As the specification says, logical
/// types play no part in resolution: a writer <c>timestamp-millis</c> read as <c>timestamp-micros</c>
/// reinterprets the number.
/// </remarks>
public sealed class DirectResolution : ResolutionNode
{
    internal DirectResolution(Schema writer, Schema reader, Promotion promotion)
        : base(writer, reader)
    {
        Promotion = promotion;
    }

    /// <summary>The conversion from the writer's underlying value to the reader's.</summary>
    public Promotion Promotion { get; }

    /// <summary>Applies <see cref="Promotion"/> to an underlying value of the writer's type.</summary>
    /// <exception cref="AvroValueException">Bytes read as a string are not valid UTF-8.</exception>
    public object? Promote(object? value, string path = "") => (Promotion, value) switch
    {
        (Promotion.None, _) => value,
        (Promotion.IntToLong, int i) => (long)i,
        (Promotion.IntToFloat, int i) => (float)i,
        (Promotion.IntToDouble, int i) => (double)i,
        (Promotion.LongToFloat, long l) => (float)l,
        (Promotion.LongToDouble, long l) => (double)l,
        (Promotion.FloatToDouble, float f) => (double)f,
        (Promotion.StringToBytes, string s) => Encoding.UTF8.GetBytes(s),
        (Promotion.BytesToString, byte[] b) => Utf8(b, path),
        _ => throw new ArgumentException(
            $"A {value?.GetType().Name ?? "null"} is not a value of the writer's {Writer.DisplayName}.", nameof(value)),
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Utf8(byte[] bytes, string path)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AvroValueException($"Bytes written as bytes and read as a string are not valid UTF-8 (at byte {e.Index}).", path);
        }
    }
}
