using System.Text.RegularExpressions;
using Streams.Jobs.Model;

namespace Streams.Jobs.Runs;

/// <summary>
/// A run's effective arguments: the job's <c>DefaultArguments</c>, overridden by the run's <c>Arguments</c>, overridden
/// by the job's <c>NonOverridableArguments</c>; and the pipeline spec text with <c>${name}</c> replaced by <c>--name</c>'s value.
/// </summary>
public sealed partial class JobArguments
{
    /// <summary>The bookmark argument: <c>job-bookmark-enable</c>, <c>job-bookmark-disable</c> or <c>job-bookmark-pause</c>.</summary>
    public const string BookmarkOption = "--job-bookmark-option";

    /// <summary>A partition predicate for a batch run (Glue's push_down_predicate).</summary>
    public const string Where = "--where";

    /// <summary>The batch watermark to swap in (ISO 8601; a Streams argument, as <c>streams backfill --watermark</c>).</summary>
    public const string Watermark = "--watermark";

    private readonly Dictionary<string, string> _values;

    /// <summary>Merges the job's and the run's arguments.</summary>
    public JobArguments(Job job, IReadOnlyDictionary<string, string>? run)
    {
        _values = new Dictionary<string, string>(job.DefaultArguments ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in run ?? new Dictionary<string, string>())
        {
            _values[key] = value;
        }

        foreach (var (key, value) in job.NonOverridableArguments ?? [])
        {
            _values[key] = value;
        }
    }

    /// <summary>The value of <paramref name="key"/> (with its leading <c>--</c>), or null.</summary>
    public string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The spec's bookmark setting the bookmark option asks for (<c>enable</c>, <c>disable</c>, <c>pause</c>), or null for the spec's own.</summary>
    /// <exception cref="JobRunException">The option has another value.</exception>
    public string? Bookmarks => this[BookmarkOption] switch
    {
        null => null,
        "job-bookmark-enable" => "enable",
        "job-bookmark-disable" => "disable",
        "job-bookmark-pause" => "pause",
        var other => throw new JobRunException(
            $"{BookmarkOption} '{other}' is not one of job-bookmark-enable, job-bookmark-disable, job-bookmark-pause."),
    };

    /// <summary>The <see cref="Watermark"/> argument as UTC, or null.</summary>
    /// <exception cref="JobRunException">It is not an ISO 8601 time.</exception>
    public DateTime? WatermarkTime => this[Watermark] switch
    {
        null => null,
        var text when DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) => t.UtcDateTime,
        var text => throw new JobRunException($"{Watermark} '{text}' is not an ISO 8601 time such as 2026-12-31T00:00:00Z."),
    };

    /// <summary>Replaces every <c>${name}</c> of <paramref name="spec"/> by the value of argument <c>--name</c>.</summary>
    /// <exception cref="JobRunException">The spec names a parameter no argument gives.</exception>
    public string Substitute(string spec, string location)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = Parameter().Replace(spec, m =>
        {
            if (_values.TryGetValue("--" + m.Groups[1].Value, out var value))
            {
                return value;
            }

            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        return missing.Count == 0
            ? result
            : throw new JobRunException(
                $"{location} uses {string.Join(", ", missing.Select(m => "${" + m + "}"))}, but the run has no {string.Join(", ", missing.Select(m => "--" + m))}: " +
                "add it to the job's DefaultArguments or the run's Arguments.");
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
