using Npgsql;
using Streams.Serving;
using Streams.Serving.Query;

namespace Streams.Api.Query;

/// <summary>
/// The <see cref="ServingQuery"/> behind <c>POST /query</c>, opened on first use so that a host without
/// PostgreSQL still starts and answers 503 instead.
/// </summary>
internal sealed class ServingQuerySource(string connectionString)
{
    private readonly Lazy<Task<ServingQuery>> _query = new(async () =>
    {
        var admin = NpgsqlDataSource.Create(connectionString);
        await ServingMigrations.EnsureAppliedAsync(admin);
        return await ServingQuery.CreateAsync(admin);
    });

    /// <summary>True when a connection string is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(connectionString);

    /// <summary>The query, with the serving migrations applied.</summary>
    public Task<ServingQuery> GetAsync() => _query.Value;
}
