using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streams.Api.Glue;
using Streams.Registry;
using Streams.Registry.Glue;

namespace Streams.Api.Registry;

/// <summary>Registers the Glue Schema Registry's operations on the Glue endpoint.</summary>
public static class GlueSchemaRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GlueSchemaRegistry"/> over the registry of <c>AddSchemaRegistry</c> (call that first) and its
    /// operations to the Glue endpoint of <c>AddGlueCatalog</c>; <see cref="GlueSchemaRegistryOptions"/> come from
    /// <paramref name="configuration"/>'s <c>Streams:GlueSchemaRegistry</c> section when given.
    /// </summary>
    public static IServiceCollection AddGlueSchemaRegistry(this IServiceCollection services, IConfiguration? configuration = null,
        GlueSchemaRegistryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= configuration?.GetSection(GlueSchemaRegistryOptions.Section).Get<GlueSchemaRegistryOptions>() ?? new GlueSchemaRegistryOptions();
        services.TryAddSingleton(sp => new GlueSchemaRegistry(sp.GetRequiredService<SchemaRegistry>(), options));
        services.AddSingleton<IGlueOperationSet, SchemaRegistryGlueOperations>();
        return services;
    }
}
