using Streams.Catalog.Crawlers;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    /// <summary>The crawler schedule states Glue reports.</summary>
    public const string Scheduled = "SCHEDULED";

    /// <summary>A schedule that is kept but does not fire.</summary>
    public const string NotScheduled = "NOT_SCHEDULED";

    /// <summary>
    /// Sets a crawler's schedule: <paramref name="expression"/> (checked; null keeps the current one) and
    /// <paramref name="state"/> (null keeps the current one, <c>SCHEDULED</c> for a new schedule).
    /// </summary>
    /// <exception cref="EntityNotFoundException">No such crawler.</exception>
    /// <exception cref="NoScheduleException">A state is set on a crawler without a schedule.</exception>
    /// <exception cref="SchedulerRunningException">The schedule is already running (state SCHEDULED requested again).</exception>
    /// <exception cref="SchedulerNotRunningException">The schedule is not running (state NOT_SCHEDULED requested again).</exception>
    public async Task SetCrawlerScheduleAsync(string name, string? expression, string? state, CancellationToken cancellationToken = default)
    {
        var crawler = await GetCrawlerAsync(name, cancellationToken);
        var current = crawler.Schedule;
        var newExpression = expression is null ? current?.ScheduleExpression : CrawlerSchedule.Validate(expression);
        if (state == NotScheduled && current?.State != Scheduled)
        {
            throw new SchedulerNotRunningException($"The schedule of crawler {crawler.Name} is not running.");
        }

        if (newExpression is null)
        {
            throw new NoScheduleException($"Crawler {crawler.Name} has no schedule: set one with UpdateCrawlerSchedule first.");
        }

        if (state == Scheduled && current?.State == Scheduled && expression is null)
        {
            throw new SchedulerRunningException($"The schedule of crawler {crawler.Name} is already SCHEDULED.");
        }

        var schedule = new Schedule(newExpression, state ?? current?.State ?? Scheduled);
        await ExecuteAsync("UPDATE catalog.crawlers SET definition = jsonb_set(definition, '{Schedule}', $2), update_time = now() WHERE name = $1",
            cancellationToken, ("", crawler.Name), ("", Jsonb.Of(schedule)));
    }
}
