using Streams.Formats.Model;

namespace Streams.Pipelines.Values;

/// <summary>Orders two non-null model values of one type (numbers across int/long/float/double/decimal, strings ordinally).</summary>
public static class ModelComparer
{
    /// <summary>Negative, zero or positive as <paramref name="a"/> sorts before, with or after <paramref name="b"/>.</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (DecimalValue x, DecimalValue y) => x.ToDecimal().CompareTo(y.ToDecimal()),
        (int or long, int or long) => Convert.ToInt64(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture)),
        (int or long or float or double, int or long or float or double) =>
            Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        (IComparable x, _) when a.GetType() == b.GetType() => x.CompareTo(b),
        _ => throw new InvalidCastException($"Cannot order {ValueEquality.Format(a)} and {ValueEquality.Format(b)}."),
    };
}
