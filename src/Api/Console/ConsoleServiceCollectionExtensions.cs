using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streams.Api.Glue;

namespace Streams.Api.Console;

/// <summary>Registers the console's services with dependency injection.</summary>
public static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// Adds the console: its static files (<paramref name="options"/>) and the read endpoints over the serving layer of the
    /// PostgreSQL at <paramref name="connectionString"/>. Needs the Glue API's services (<c>AddGlueCatalog</c>): the console
    /// reads job specs through its operations and checks signatures with its verifier.
    /// </summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, string connectionString, ConsoleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(options ?? new ConsoleOptions());
        services.TryAddSingleton(provider => new PipelineDirectory(connectionString, provider.GetRequiredService<GlueOperationTable>(), provider));
        return services;
    }
}
