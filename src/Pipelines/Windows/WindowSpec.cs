namespace Streams.Pipelines.Windows;

/// <summary>
/// An event-time window. Windows are aligned to the Unix epoch. The watermark is the largest event
/// time seen minus <see cref="WatermarkDelay"/>; in the speed layer a record whose window ended more
/// than <see cref="AllowedLateness"/> before the watermark is late and goes to the dead letters.
/// </summary>
/// <param name="Kind">Tumbling or hopping.</param>
/// <param name="TimeExpression">The event time: a timestamp field or expression.</param>
/// <param name="Size">The window length.</param>
/// <param name="Slide">The distance between window starts (hopping; equals Size for tumbling).</param>
/// <param name="WatermarkDelay">How far the watermark trails the largest event time (expected out-of-orderness).</param>
/// <param name="AllowedLateness">How long after the watermark passes its end a window still accepts records.</param>
public sealed record WindowSpec(WindowKind Kind, string TimeExpression, TimeSpan Size, TimeSpan Slide, TimeSpan WatermarkDelay, TimeSpan AllowedLateness)
{
    /// <summary>The starts of the windows that contain <paramref name="time"/>, latest first.</summary>
    public IEnumerable<DateTime> WindowStarts(DateTime time)
    {
        var ticks = time.Ticks - DateTime.UnixEpoch.Ticks;
        var slide = (Kind == WindowKind.Tumbling ? Size : Slide).Ticks;
        var last = ticks - Mod(ticks, slide);
        for (var start = last; start > ticks - Size.Ticks; start -= slide)
        {
            yield return new DateTime(DateTime.UnixEpoch.Ticks + start, DateTimeKind.Utc);
        }
    }

    private static long Mod(long a, long b) => ((a % b) + b) % b;
}
