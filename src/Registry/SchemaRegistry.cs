using System.Collections.Concurrent;
using Npgsql;
using Streams.Registry.Formats;
using Streams.Registry.Storage;

namespace Streams.Registry;

/// <summary>
/// The schema registry over PostgreSQL: subjects, versions, global schema ids, compatibility levels and
/// modes with the semantics of Confluent Schema Registry. Any number of hosts may serve one database:
/// every write runs in a transaction holding one advisory lock, so ids and versions are assigned once and
/// in order, and a compatibility check sees every version committed before it.
/// </summary>
/// <remarks>
/// Failures are <see cref="SchemaRegistryException"/>s carrying Confluent's error codes; the REST API
/// (<c>Streams.Api.Registry.SchemaRegistryEndpoints</c>) returns them as they are.
/// </remarks>
public sealed partial class SchemaRegistry : IAsyncDisposable
{
    // References nest (a schema referring to one that refers to another...); a cycle would otherwise recurse forever.
    private const int MaxReferenceDepth = 32;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly Dictionary<string, ISchemaFormat> _formats;

    // Schema ids are immutable (rows of registry.schemas are never updated or removed), so a parse is cached forever.
    private readonly ConcurrentDictionary<int, ParsedSchema> _parsed = new();

    /// <summary>Creates a registry over the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public SchemaRegistry(string connectionString, IEnumerable<ISchemaFormat> formats)
        : this(NpgsqlDataSource.Create(connectionString), formats, ownsDataSource: true)
    {
    }

    /// <summary>Creates a registry over <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    public SchemaRegistry(NpgsqlDataSource dataSource, IEnumerable<ISchemaFormat> formats)
        : this(dataSource, formats, ownsDataSource: false)
    {
    }

    private SchemaRegistry(NpgsqlDataSource dataSource, IEnumerable<ISchemaFormat> formats, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(formats);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _formats = formats.ToDictionary(f => f.SchemaType, StringComparer.Ordinal);
    }

    /// <summary>The store's data source, for the parts of the registry that keep their own tables beside it (Glue's).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The schema types this registry accepts.</summary>
    public IReadOnlyCollection<string> SupportedSchemaTypes => _formats.Keys;

    /// <summary>Creates or upgrades the registry's tables. Idempotent and safe to run from several hosts at once.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        RegistryMigrations.ApplyAsync(_dataSource, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new SchemaRegistryException(500, RegistryErrorCodes.StoreError,
                "Error while opening a connection to the registry's PostgreSQL store: " + e.Message, e);
        }
    }

    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RegistryStore.LockWritesAsync(connection, cancellationToken);
        var result = await write(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static void ValidateSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Any(char.IsControl))
        {
            throw SchemaRegistryException.BadRequest($"Invalid subject name '{subject}'.");
        }
    }
}
