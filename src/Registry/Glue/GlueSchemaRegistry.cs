using System.Globalization;
using Npgsql;

namespace Streams.Registry.Glue;

/// <summary>
/// The Glue Schema Registry (registries, schemas, versions by UUID, compatibility modes, version metadata, tags)
/// over the same store as the Confluent API: a Glue schema is a subject (<see cref="GlueNames"/>), its versions are
/// the subject's versions, and every registration goes through <see cref="SchemaRegistry"/>, so the same checks
/// decide both ways. Glue-only facts (registries, descriptions, checkpoints, refused versions, metadata, tags)
/// live in the <c>registry.glue_*</c> tables.
/// </summary>
/// <remarks>Failures are <see cref="GlueSchemaRegistryException"/>s with Glue's error types.</remarks>
public sealed partial class GlueSchemaRegistry
{
    private readonly SchemaRegistry _registry;
    private readonly NpgsqlDataSource _dataSource;
    private readonly GlueSchemaRegistryOptions _options;
    private readonly GlueArns _arns;

    /// <summary>Creates the Glue API's registry over <paramref name="registry"/>'s store.</summary>
    public GlueSchemaRegistry(SchemaRegistry registry, GlueSchemaRegistryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _dataSource = registry.DataSource;
        _options = options ?? new GlueSchemaRegistryOptions();
        _arns = new GlueArns(_options);
    }

    private static string Time(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs a registry call, turning its errors into Glue's.</summary>
    private static async Task<T> RegistryCallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (SchemaRegistryException e) when (e.StatusCode is 404)
        {
            throw GlueSchemaRegistryException.NotFound(e.Message);
        }
        catch (SchemaRegistryException e) when (e.StatusCode is 400 or 409 or 422)
        {
            throw GlueSchemaRegistryException.Invalid(e.Message);
        }
    }

    private static Task RegistryCallAsync(Func<Task> call) => RegistryCallAsync(async () =>
    {
        await call();
        return 0;
    });
}
