using System.Collections;
using System.Globalization;
using Streams.Formats.Model;

namespace Streams.Formats.Tests.Parquet;

/// <summary>Compares records with <see cref="ValueEquality"/> and reports the first differing field readably.</summary>
public static class RecordAssert
{
    public static void Equal(IReadOnlyList<GenericRecord> expected, IReadOnlyList<GenericRecord> actual, bool compareNames = true)
    {
        actual.Count.Should().Be(expected.Count, "the row count should match");
        for (var row = 0; row < expected.Count; row++)
        {
            Equal(expected[row], actual[row], $"row {row}", compareNames);
        }
    }

    public static void Equal(GenericRecord expected, GenericRecord actual, string where, bool compareNames = true)
    {
        if (compareNames)
        {
            actual.Schema.FullName.Should().Be(expected.Schema.FullName, where);
        }

        foreach (var field in expected.Schema.Fields)
        {
            actual.TryGetValue(field.Name, out var value).Should().BeTrue($"{where} should have field {field.Name}");
            var expectedValue = expected[field.Position];
            if (!Same(expectedValue, value))
            {
                throw new Xunit.Sdk.XunitException(
                    $"{where}, field '{field.Name}': expected {Format(expectedValue)} but found {Format(value)}.");
            }
        }
    }

    /// <summary>Deep equality; records compare by values only (names of nested records may differ by design).</summary>
    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (GenericRecord x, GenericRecord y) => x.Schema.Fields.Count == y.Schema.Fields.Count
                                              && x.Schema.Fields.All(f => Same(x[f.Position], y[f.Position])),
        (IDictionary x, IDictionary y) => x.Count == y.Count && x.Keys.Cast<object>().All(k => y.Contains(k) && Same(x[k], y[k])),
        (IList x, IList y) when a is not byte[] => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => Same(x[i], y[i])),
        // DateTime equality ignores Kind, which is what tells a UTC timestamp from a local one.
        (DateTime x, DateTime y) => x == y && x.Kind == y.Kind,
        _ => ValueEquality.Instance.Equals(a, b),
    };

    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        GenericRecord r => "{" + string.Join(", ", r.Schema.Fields.Select(f => $"{f.Name}: {Format(r[f.Position])}")) + "}",
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}: {Format(map[k])}")) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture) + $" ({dt.Kind})",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + $" ({value.GetType().Name})",
        _ => value.ToString() ?? "",
    };
}
