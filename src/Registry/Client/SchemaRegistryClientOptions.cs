namespace Streams.Registry.Client;

/// <summary>Settings of <see cref="CachedSchemaRegistryClient"/>.</summary>
public sealed record SchemaRegistryClientOptions
{
    /// <summary>
    /// How long the latest version of a subject is reused before it is asked for again; other answers (ids,
    /// schemas, registrations) never change and are cached for the client's lifetime.
    /// </summary>
    public TimeSpan LatestVersionTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock for <see cref="LatestVersionTtl"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
