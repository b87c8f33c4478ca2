using System.Collections;
using System.Globalization;

namespace Streams.Formats.Model;

/// <summary>
/// Deep equality over values of the record model: byte arrays by content, lists element-wise,
/// maps by key regardless of order, records field by field. Floating point compares bit patterns
/// so that NaN equals NaN, as a round-trip test expects.
/// </summary>
public sealed class ValueEquality : IEqualityComparer<object?>
{
    /// <summary>The shared instance.</summary>
    public static ValueEquality Instance { get; } = new();

    private ValueEquality()
    {
    }

    /// <inheritdoc />
    public new bool Equals(object? x, object? y)
    {
        switch (x, y)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (byte[] a, byte[] b):
                return a.AsSpan().SequenceEqual(b);
            case (double a, double b):
                return BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
            case (float a, float b):
                return BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);
            case (GenericRecord a, GenericRecord b):
                return a.Equals(b);
            case (IDictionary a, IDictionary b):
                if (a.Count != b.Count)
                {
                    return false;
                }

                foreach (DictionaryEntry entry in a)
                {
                    if (!b.Contains(entry.Key) || !Equals(entry.Value, b[entry.Key]))
                    {
                        return false;
                    }
                }

                return true;
            case (IList a, IList b):
                if (a.Count != b.Count)
                {
                    return false;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (!Equals(a[i], b[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return x.Equals(y);
        }
    }

    /// <inheritdoc />
    public int GetHashCode(object? obj) => obj switch
    {
        null => 0,
        byte[] bytes => bytes.Length,
        GenericRecord record => record.Schema.FullName.GetHashCode(StringComparison.Ordinal),
        IDictionary map => map.Count,
        IList list => list.Count,
        _ => obj.GetHashCode(),
    };

    /// <summary>A compact rendering of a value for messages and test failures.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => "0x" + Convert.ToHexString(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}: {Format(map[k])}")) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
