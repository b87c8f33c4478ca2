using Npgsql;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    private const string DatabaseColumns = "name, description, location_uri, parameters::text, create_time";

    /// <summary>Creates a database.</summary>
    /// <exception cref="AlreadyExistsException">A database with that name exists.</exception>
    public async Task<Database> CreateDatabaseAsync(DatabaseInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = NormalizeName(input.Name, "Database");
        GlueLimits.Check(input);
        try
        {
            var rows = await QueryAsync(
                $"INSERT INTO catalog.databases (name, description, location_uri, parameters) VALUES ($1, $2, $3, $4) RETURNING {DatabaseColumns}",
                ReadDatabase, cancellationToken, ("", name), ("", input.Description), ("", input.LocationUri),
                ("", Jsonb.Of(input.Parameters ?? [])));
            return rows[0];
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException($"Database {name} already exists.");
        }
    }

    /// <summary>Gets a database.</summary>
    /// <exception cref="EntityNotFoundException">No such database.</exception>
    public async Task<Database> GetDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Database");
        var rows = await QueryAsync($"SELECT {DatabaseColumns} FROM catalog.databases WHERE name = $1", ReadDatabase,
            cancellationToken, ("", normalized));
        return rows.Count == 1 ? rows[0] : throw new EntityNotFoundException($"Database {normalized} not found.");
    }

    /// <summary>Lists databases by name.</summary>
    public async Task<Page<Database>> GetDatabasesAsync(int offset, int limit, CancellationToken cancellationToken = default) =>
        ToPage(await QueryAsync($"SELECT {DatabaseColumns} FROM catalog.databases ORDER BY name OFFSET $1 LIMIT $2",
            ReadDatabase, cancellationToken, ("", offset), ("", limit + 1)), offset, limit);

    /// <summary>Replaces a database's description, location and parameters (its name cannot change).</summary>
    public async Task UpdateDatabaseAsync(string name, DatabaseInput input, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Database");
        if (input.Name is not null && !string.Equals(input.Name, normalized, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException($"Renaming database {normalized} to {input.Name} is not supported.");
        }

        GlueLimits.Check(input);
        var count = await ExecuteAsync(
            "UPDATE catalog.databases SET description = $2, location_uri = $3, parameters = $4 WHERE name = $1",
            cancellationToken, ("", normalized), ("", input.Description), ("", input.LocationUri), ("", Jsonb.Of(input.Parameters ?? [])));
        if (count == 0)
        {
            throw new EntityNotFoundException($"Database {normalized} not found.");
        }
    }

    /// <summary>Deletes a database with its tables and partitions.</summary>
    public async Task DeleteDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Database");
        if (await ExecuteAsync("DELETE FROM catalog.databases WHERE name = $1", cancellationToken, ("", normalized)) == 0)
        {
            throw new EntityNotFoundException($"Database {normalized} not found.");
        }
    }

    private static Database ReadDatabase(NpgsqlDataReader r) => new()
    {
        Name = r.GetString(0),
        Description = r.IsDBNull(1) ? null : r.GetString(1),
        LocationUri = r.IsDBNull(2) ? null : r.GetString(2),
        Parameters = CatalogJson.Deserialize<Dictionary<string, string>>(r.GetString(3)),
        CreateTime = r.GetFieldValue<DateTimeOffset>(4),
    };
}
