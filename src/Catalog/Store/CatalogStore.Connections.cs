using Npgsql;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

public sealed partial class CatalogStore
{
    private const string ConnectionColumns =
        "name, connection_type, description, match_criteria::text, properties::text, secrets, create_time, update_time";

    private static readonly string[] ConnectionTypes = ["JDBC", "KAFKA", "S3", "NETWORK", "CUSTOM"];

    /// <summary>
    /// Creates a connection. Secret properties (<see cref="ConnectionSecrets.IsSecret"/>) are encrypted with
    /// the configured key and never stored or returned in plain text.
    /// </summary>
    /// <exception cref="InvalidOperationException">A secret is given but no secret key is configured.</exception>
    public async Task CreateConnectionAsync(ConnectionInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = NormalizeName(input.Name, "Connection");
        GlueLimits.Check(input);
        var type = input.ConnectionType?.ToUpperInvariant();
        if (type is null || !ConnectionTypes.Contains(type))
        {
            throw new InvalidInputException(
                $"Connection {name}: ConnectionType must be one of {string.Join(", ", ConnectionTypes)}.");
        }

        var plain = new Dictionary<string, string>();
        var secret = new Dictionary<string, string>();
        foreach (var (key, value) in input.ConnectionProperties ?? [])
        {
            (ConnectionSecrets.IsSecret(key) ? secret : plain)[key] = value;
        }

        var secrets = secret.Count == 0 ? null : _secrets.Protect(CatalogJson.Serialize(secret), name);
        try
        {
            await ExecuteAsync(
                "INSERT INTO catalog.connections (name, connection_type, description, match_criteria, properties, secrets) VALUES ($1, $2, $3, $4, $5, $6)",
                cancellationToken, ("", name), ("", type), ("", input.Description), ("", Jsonb.Of(input.MatchCriteria)),
                ("", Jsonb.Of(plain)), ("", secrets));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            throw new AlreadyExistsException($"Connection {name} already exists.");
        }
    }

    /// <summary>Gets a connection without its secret properties.</summary>
    public async Task<Connection> GetConnectionAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetConnectionRowAsync(name, cancellationToken)).Connection;

    /// <summary>
    /// The connection's properties including decrypted secrets, for crawlers that connect with it. Never
    /// exposed through the API.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetConnectionPropertiesAsync(string name,
        CancellationToken cancellationToken = default)
    {
        var (connection, secrets) = await GetConnectionRowAsync(name, cancellationToken);
        var properties = new Dictionary<string, string>(connection.ConnectionProperties ?? []);
        if (secrets is not null)
        {
            foreach (var (key, value) in CatalogJson.Deserialize<Dictionary<string, string>>(_secrets.Unprotect(secrets, connection.Name)))
            {
                properties[key] = value;
            }
        }

        return properties;
    }

    /// <summary>Lists connections (without secrets), optionally of one type.</summary>
    public async Task<Page<Connection>> GetConnectionsAsync(string? connectionType, int offset, int limit,
        CancellationToken cancellationToken = default) =>
        ToPage(await QueryAsync(
            $"SELECT {ConnectionColumns} FROM catalog.connections WHERE $1::text IS NULL OR connection_type = $1 ORDER BY name OFFSET $2 LIMIT $3",
            r => ReadConnection(r).Connection, cancellationToken, ("", connectionType?.ToUpperInvariant()), ("", offset), ("", limit + 1)),
            offset, limit);

    /// <summary>Deletes a connection.</summary>
    public async Task DeleteConnectionAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeName(name, "Connection");
        if (await ExecuteAsync("DELETE FROM catalog.connections WHERE name = $1", cancellationToken, ("", normalized)) == 0)
        {
            throw new EntityNotFoundException($"Connection {normalized} not found.");
        }
    }

    private async Task<(Connection Connection, byte[]? Secrets)> GetConnectionRowAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = NormalizeName(name, "Connection");
        var rows = await QueryAsync($"SELECT {ConnectionColumns} FROM catalog.connections WHERE name = $1", ReadConnection,
            cancellationToken, ("", normalized));
        return rows.Count == 1 ? rows[0] : throw new EntityNotFoundException($"Connection {normalized} not found.");
    }

    private static (Connection Connection, byte[]? Secrets) ReadConnection(NpgsqlDataReader r) => (new Connection
    {
        Name = r.GetString(0),
        ConnectionType = r.GetString(1),
        Description = r.IsDBNull(2) ? null : r.GetString(2),
        MatchCriteria = r.IsDBNull(3) ? null : CatalogJson.Deserialize<List<string>?>(r.GetString(3)),
        ConnectionProperties = CatalogJson.Deserialize<Dictionary<string, string>>(r.GetString(4)),
        CreationTime = r.GetFieldValue<DateTimeOffset>(6),
        LastUpdatedTime = r.GetFieldValue<DateTimeOffset>(7),
    }, r.IsDBNull(5) ? null : r.GetFieldValue<byte[]>(5));
}
