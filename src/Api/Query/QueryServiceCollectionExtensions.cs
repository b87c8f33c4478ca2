using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streams.Serving.Query;

namespace Streams.Api.Query;

/// <summary>Registers the query API's services with dependency injection.</summary>
public static class QueryServiceCollectionExtensions
{
    /// <summary>
    /// Adds read-only SQL over the serving views of the PostgreSQL at <paramref name="connectionString"/>. An empty
    /// connection string is allowed: <c>POST /query</c> then answers 503 naming the missing setting.
    /// <paramref name="options"/> sets the statement timeout and row limit (defaults: 30 s, 10,000 rows).
    /// </summary>
    public static IServiceCollection AddServingQuery(this IServiceCollection services, string connectionString,
        QueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new ServingQuerySource(connectionString, options ?? new QueryOptions()));
        return services;
    }
}
