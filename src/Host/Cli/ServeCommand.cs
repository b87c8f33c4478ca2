using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Streams.Host.Api;
using Streams.Host.Configuration;

namespace Streams.Host.Cli;

/// <summary>
/// <c>streams serve</c>: the host against configured services (Kafka, PostgreSQL, lake), as in
/// docker-compose.yml. Unlike <c>streams dev</c> it starts nothing embedded.
/// </summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("serve",
            "Run the API against the configured Kafka, PostgreSQL and lake (Streams:* settings; see README, Configuration).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var options = StreamsConfiguration.LoadOptions();
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(options.Postgres.ConnectionString))
            {
                missing.Add("Streams:Postgres:ConnectionString (STREAMS__POSTGRES__CONNECTIONSTRING)");
            }

            if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
            {
                missing.Add("Streams:Kafka:BootstrapServers (STREAMS__KAFKA__BOOTSTRAPSERVERS)");
            }

            if (string.IsNullOrWhiteSpace(options.Lake.Root))
            {
                missing.Add("Streams:Lake:Root (STREAMS__LAKE__ROOT)");
            }

            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync(
                    "streams serve needs these settings: " + string.Join(", ", missing) +
                    ". Set them in appsettings.json or the environment, or run `streams dev` for the embedded stack.");
                return 1;
            }

            await using var app = ApiHost.Build(options);
            await app.StartAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"api: {options.Api.Url}");
            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: a normal stop.
            }

            return 0;
        });
        return command;
    }
}
