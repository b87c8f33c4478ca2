using Npgsql;
using Streams.Serving;
using Streams.Serving.Query;

namespace Streams.Api.Query;

/// <summary>
/// The <see cref="ServingQuery"/> behind <c>POST /query</c>, opened on first use so that a host without
/// PostgreSQL still starts and answers 503 instead.
/// </summary>
internal sealed class ServingQuerySource(string connectionString, QueryOptions options)
{
    private readonly Lock _lock = new();
    private Task<ServingQuery>? _query;

    /// <summary>True when a connection string is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(connectionString);

    /// <summary>The query, with the serving migrations applied.</summary>
    public Task<ServingQuery> GetAsync()
    {
        lock (_lock)
        {
            // A failed start (PostgreSQL not up yet) is not kept: the next request tries again.
            if (_query is null || _query.IsFaulted || _query.IsCanceled)
            {
                _query = OpenAsync();
            }

            return _query;
        }
    }

    private async Task<ServingQuery> OpenAsync()
    {
        var admin = NpgsqlDataSource.Create(connectionString);
        await ServingMigrations.EnsureAppliedAsync(admin);
        return await ServingQuery.CreateAsync(admin, options);
    }
}
