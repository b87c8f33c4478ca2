using Microsoft.Extensions.Configuration;

namespace Streams.Host.Configuration;

/// <summary>
/// Loads the host's configuration: appsettings.json beside the executable, then appsettings.json in
/// the working directory, then environment variables (<c>STREAMS__KAFKA__BOOTSTRAPSERVERS</c> sets
/// <c>Streams:Kafka:BootstrapServers</c>); later sources win.
/// </summary>
public static class StreamsConfiguration
{
    /// <summary>Builds the configuration from the standard sources.</summary>
    public static IConfigurationRoot Load() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>Loads and binds <see cref="StreamsOptions"/>.</summary>
    public static StreamsOptions LoadOptions() => StreamsOptions.Bind(Load());
}
