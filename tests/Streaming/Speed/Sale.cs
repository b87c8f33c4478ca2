using System.Globalization;

namespace Streams.Streaming.Tests.Speed;

/// <summary>One test event.</summary>
internal sealed record Sale(long Id, string Customer, long Amount, string Code, DateTime Ts)
{
    public bool PassesTransforms => int.TryParse(Code, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    public DateTime Hour => new(Ts.Year, Ts.Month, Ts.Day, Ts.Hour, 0, 0, DateTimeKind.Utc);

    /// <summary>The rows the pipeline's merged view must hold for <paramref name="sales"/>: (customer, hour) → count, sum(amount), sum(code).</summary>
    public static IReadOnlyList<(string Customer, DateTime Hour, long Orders, long Revenue, long Codes)> Expected(IEnumerable<Sale> sales) =>
        [.. sales.Where(s => s.PassesTransforms)
            .GroupBy(s => (s.Customer, s.Hour))
            .Select(g => (g.Key.Customer, g.Key.Hour, (long)g.Count(), g.Sum(s => s.Amount), g.Sum(s => long.Parse(s.Code, CultureInfo.InvariantCulture))))
            .OrderBy(r => r.Customer, StringComparer.Ordinal).ThenBy(r => r.Hour)];
}
