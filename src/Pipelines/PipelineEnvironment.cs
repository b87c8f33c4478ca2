using Npgsql;

namespace Streams.Pipelines;

/// <summary>What a pipeline may reach outside its records: the PostgreSQL that holds lookup tables.</summary>
/// <param name="Postgres">The database for join lookups, or null when the pipeline has none.</param>
public sealed record PipelineEnvironment(NpgsqlDataSource? Postgres = null);
