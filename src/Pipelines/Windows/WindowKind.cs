namespace Streams.Pipelines.Windows;

/// <summary>The kinds of event-time window.</summary>
public enum WindowKind
{
    /// <summary>Fixed, non-overlapping windows of <see cref="WindowSpec.Size"/>.</summary>
    Tumbling,

    /// <summary>Windows of <see cref="WindowSpec.Size"/> starting every <see cref="WindowSpec.Slide"/> (overlapping when slide &lt; size).</summary>
    Hopping,
}
