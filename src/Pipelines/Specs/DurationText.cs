using System.Globalization;
using System.Text.RegularExpressions;

namespace Streams.Pipelines.Specs;

/// <summary>Parses durations such as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> (or <c>hh:mm:ss</c>).</summary>
public static partial class DurationText
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> when it is not a duration.</summary>
    public static TimeSpan Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (match.Success)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new FormatException($"'{text}' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 1d.");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$")]
    private static partial Regex Pattern();
}
