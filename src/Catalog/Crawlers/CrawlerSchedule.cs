using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// A crawler's <c>Schedule</c> in Glue's syntax, <c>cron(Minutes Hours Day-of-month Month Day-of-week Year)</c>
/// (UTC; day-of-week 1-7 is SUN-SAT; one of the two day fields is <c>?</c>), checked when a crawler is created or updated.
/// </summary>
public static partial class CrawlerSchedule
{
    private const string Syntax =
        "use Glue's cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(15 12 * * ? *) for 12:15 UTC every day";

    /// <summary>Checks <paramref name="schedule"/> and returns it trimmed.</summary>
    /// <exception cref="InvalidInputException">It is not a valid Glue cron expression.</exception>
    public static string Validate(string schedule)
    {
        _ = Parse(schedule);
        return schedule.Trim();
    }

    /// <summary>
    /// Parses <paramref name="schedule"/> into the Cronos expression of its first five fields (UTC); the year field is
    /// checked, not evaluated, so a schedule limited to some years fires in every year.
    /// </summary>
    /// <exception cref="InvalidInputException">It is not a valid Glue cron expression.</exception>
    public static CronExpression Parse(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var trimmed = schedule.Trim();
        var match = CronCall().Match(trimmed);
        if (!match.Success)
        {
            throw new InvalidInputException($"Schedule '{schedule}' is invalid: {Syntax}.");
        }

        var fields = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new InvalidInputException($"Schedule '{schedule}' has {fields.Length} fields, not 6: {Syntax}.");
        }

        var (dayOfMonth, dayOfWeek) = (fields[2], fields[4]);
        if ((dayOfMonth == "?") == (dayOfWeek == "?"))
        {
            throw new InvalidInputException(
                $"Schedule '{schedule}' is invalid: exactly one of Day-of-month and Day-of-week must be '?' (Glue does not combine them).");
        }

        CheckYear(fields[5], schedule);
        try
        {
            // Cronos reads the first five fields as standard cron, whose day-of-week counts from 0 (SUN).
            return CronExpression.Parse(string.Join(' ', fields[0], fields[1], dayOfMonth, fields[3], ZeroBasedDays(dayOfWeek, schedule)),
                CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new InvalidInputException($"Schedule '{schedule}' is invalid: {e.Message} ({Syntax}).");
        }
    }

    private static string ZeroBasedDays(string field, string schedule) =>
        DayNumber().Replace(field, m =>
        {
            var day = int.Parse(m.Value, CultureInfo.InvariantCulture);
            return day is >= 1 and <= 7
                ? (day - 1).ToString(CultureInfo.InvariantCulture)
                : throw new InvalidInputException($"Schedule '{schedule}': Day-of-week {day} is out of range; use 1-7 (SUN-SAT) or SUN-SAT.");
        });

    private static void CheckYear(string field, string schedule)
    {
        foreach (var item in field.Split(','))
        {
            var year = YearItem().Match(item);
            if (!year.Success || Out(year.Groups["from"]) || Out(year.Groups["to"]))
            {
                throw new InvalidInputException(
                    $"Schedule '{schedule}': Year '{field}' is invalid; use *, a year from 1970 to 2199, a range, a list or a step.");
            }
        }

        static bool Out(Group group) =>
            group.Success && int.Parse(group.Value, CultureInfo.InvariantCulture) is < 1970 or > 2199;
    }

    [GeneratedRegex(@"^cron\((.*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CronCall();

    // A day number: not a step (after '/') or an nth weekday (after '#').
    [GeneratedRegex(@"(?<![#/\d])\d+", RegexOptions.CultureInvariant)]
    private static partial Regex DayNumber();

    [GeneratedRegex(@"^(\*|(?<from>\d{4})(-(?<to>\d{4}))?)(/\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YearItem();
}
