using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Streams.Registry;
using Streams.Registry.Formats;

namespace Streams.Api.Registry;

/// <summary>Registers the schema registry with dependency injection.</summary>
public static class SchemaRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="SchemaRegistry"/> over the PostgreSQL database at <paramref name="connectionString"/>,
    /// with the Avro and JSON Schema formats, and a hosted service that applies its migrations when the host starts.
    /// </summary>
    public static IServiceCollection AddSchemaRegistry(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrEmpty(connectionString))
        {
            throw new ArgumentException(
                "The schema registry needs a PostgreSQL connection string (Streams:Postgres:ConnectionString).", nameof(connectionString));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaFormat, AvroSchemaFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaFormat, JsonSchemaFormat>());
        services.TryAddSingleton(sp => new SchemaRegistry(connectionString, sp.GetServices<ISchemaFormat>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RegistryMigrationService>());
        return services;
    }

    private sealed class RegistryMigrationService(SchemaRegistry registry) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => registry.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
