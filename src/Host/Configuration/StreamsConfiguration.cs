using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Streams.Host.Configuration;

/// <summary>
/// Loads the host's configuration: appsettings.json beside the executable, then appsettings.json in
/// the working directory, then the endpoints of a <c>streams dev</c> running from this directory
/// (<c>.streams/dev.json</c>), then environment variables (<c>STREAMS__KAFKA__BOOTSTRAPSERVERS</c>
/// sets <c>Streams:Kafka:BootstrapServers</c>); later sources win.
/// </summary>
public static class StreamsConfiguration
{
    /// <summary>The default state directory of <c>streams dev</c>, relative to the working directory.</summary>
    public const string DefaultStateDirectory = ".streams";

    /// <summary>The file in the state directory where a running dev stack publishes its endpoints.</summary>
    public const string DevEndpointsFile = "dev.json";

    /// <summary>
    /// Builds the configuration from the standard sources. <paramref name="includeRunningDevStack"/> lets
    /// CLI commands find a <c>streams dev</c> started in the same directory without any setting.
    /// </summary>
    public static IConfigurationRoot Load(bool includeRunningDevStack = true)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true);
        if (includeRunningDevStack)
        {
            builder.AddJsonFile(Path.Combine(Environment.CurrentDirectory, DefaultStateDirectory, DevEndpointsFile), optional: true);
        }

        return builder.AddEnvironmentVariables().Build();
    }

    /// <summary>Loads, binds and validates <see cref="StreamsOptions"/>.</summary>
    /// <exception cref="StreamsConfigurationException">A value does not bind or cannot be used; the message names the setting.</exception>
    public static StreamsOptions LoadOptions(bool includeRunningDevStack = true) => BindOptions(Load(includeRunningDevStack));

    /// <summary>Binds and validates <see cref="StreamsOptions"/> from an already loaded configuration.</summary>
    /// <exception cref="StreamsConfigurationException">A value does not bind or cannot be used; the message names the setting.</exception>
    public static StreamsOptions BindOptions(IConfiguration configuration)
    {
        var options = StreamsOptionsValidator.Bind(configuration);
        StreamsOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    /// <summary>
    /// Publishes a running dev stack's endpoints as configuration in <paramref name="stateDirectory"/>
    /// (written whole, then renamed, so a reader never sees half a file).
    /// </summary>
    public static async Task WriteDevEndpointsAsync(string stateDirectory, StreamsOptions options, string apiUrl,
        CancellationToken cancellationToken)
    {
        var document = new Dictionary<string, object>
        {
            [StreamsOptions.Section] = new Dictionary<string, object>
            {
                ["Kafka"] = new Dictionary<string, string> { ["BootstrapServers"] = options.Kafka.BootstrapServers },
                ["Postgres"] = new Dictionary<string, string> { ["ConnectionString"] = options.Postgres.ConnectionString },
                ["Lake"] = new Dictionary<string, string> { ["Root"] = options.Lake.Root },
                ["Api"] = new Dictionary<string, string> { ["Url"] = apiUrl },
                ["Registry"] = new Dictionary<string, string> { ["Url"] = apiUrl + "/registry" },
            },
        };
        var path = Path.Combine(stateDirectory, DevEndpointsFile);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document, IndentedJson), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}
