using System.Runtime.CompilerServices;

namespace Streams.Catalog.Store;

/// <summary>One page of a listing and the offset of the next page (<c>null</c> on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int? NextOffset);

/// <summary>Walks paged listings.</summary>
public static class Pages
{
    /// <summary>
    /// Every item of a listing, fetching page after page from offset 0 with <paramref name="fetch"/>
    /// (given the offset) until a page says it is the last.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(Func<int, CancellationToken, Task<Page<T>>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int? offset = 0;
        while (offset is { } current)
        {
            var page = await fetch(current, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            offset = page.NextOffset;
        }
    }
}
