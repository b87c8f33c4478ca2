namespace Streams.Catalog.Store;

/// <summary>One page of a listing and the offset of the next page (<c>null</c> on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int? NextOffset);
