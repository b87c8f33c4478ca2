namespace Streams.Serving;

/// <summary>A merged view as <c>streams views</c> lists it.</summary>
/// <param name="Name">The view name in schema <c>serving</c>.</param>
/// <param name="Watermark">The batch watermark: batch rows before it, speed rows from it on; null before the first batch.</param>
/// <param name="Rows">Rows in the merged view.</param>
/// <param name="BatchRows">Rows of the current batch generation.</param>
/// <param name="SpeedRows">Rows in the speed table.</param>
/// <param name="SwappedAt">When the batch table was last swapped in, or null.</param>
public sealed record ServingViewInfo(string Name, DateTime? Watermark, long Rows, long BatchRows, long SpeedRows, DateTime? SwappedAt);
