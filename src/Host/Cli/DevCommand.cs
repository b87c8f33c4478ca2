using System.CommandLine;
using System.Runtime.InteropServices;
using Streams.Host.Configuration;
using Streams.Host.Dev;

namespace Streams.Host.Cli;

/// <summary><c>streams dev</c>: the embedded stack on one machine.</summary>
public static class DevCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers")
        {
            Description = "Number of in-process Kafka brokers (librdkafka mock cluster).",
            DefaultValueFactory = _ => 1,
        };
        var state = new Option<string>("--state")
        {
            Description = "Directory for the embedded PostgreSQL data and the local lake.",
            DefaultValueFactory = _ => ".streams",
        };
        var port = new Option<int?>("--port")
        {
            Description = "API port on 127.0.0.1 (0 picks a free one). Default: Streams:Api:Url, else 8080.",
        };
        var command = new Command("dev",
            "Run the embedded stack: an in-process Kafka-protocol broker, a throwaway PostgreSQL, a local lake " +
            "directory and the HTTP API on 127.0.0.1. Configured external Kafka/PostgreSQL/S3 are used instead.")
        {
            brokers, state, port,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new DevStackSettings(result.GetValue(state)!, result.GetValue(brokers), result.GetValue(port)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DevStackSettings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        DevStack stack;
        try
        {
            // Its own earlier dev.json must not read as configured external services.
            stack = await DevStack.StartAsync(StreamsConfiguration.LoadOptions(includeRunningDevStack: false), settings, stop.Token);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Confluent.Kafka.KafkaException)
        {
            await Console.Error.WriteLineAsync($"streams dev could not start: {CliMessages.Of(e)}");
            return 1;
        }

        await using (stack)
        {
            await StreamsConfiguration.WriteDevEndpointsAsync(settings.StateDirectory, stack.Options, stack.ApiUrl, CancellationToken.None);
            // Exactly these three lines on stdout, so scripts can parse them; everything else goes to stderr.
            Console.Out.WriteLine($"kafka: {stack.Options.Kafka.BootstrapServers}");
            Console.Out.WriteLine($"postgres: {stack.Options.Postgres.ConnectionString}");
            Console.Out.WriteLine($"api: {stack.ApiUrl}");
            await Console.Out.FlushAsync(CancellationToken.None);
            if (PsqlConnectionInfo(stack.Options.Postgres.ConnectionString) is { } conninfo)
            {
                await Console.Error.WriteLineAsync($"psql \"{conninfo}\"");
            }

            await Console.Error.WriteLineAsync($"lake: {stack.Options.Lake.Root}  (Ctrl-C stops everything)");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("stopping...");
            }

            File.Delete(Path.Combine(settings.StateDirectory, StreamsConfiguration.DevEndpointsFile));
        }

        return 0;
    }

    /// <summary>The libpq form of an Npgsql connection string (for psql), when it has no settings libpq lacks.</summary>
    internal static string? PsqlConnectionInfo(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var parts = new List<string>();
        void Add(string key, object? value)
        {
            if (value is not null && value.ToString() is { Length: > 0 } text)
            {
                parts.Add($"{key}={text}");
            }
        }

        Add("host", builder.Host);
        Add("port", builder.Port);
        Add("user", builder.Username);
        Add("dbname", builder.Database);
        return builder.Password is null ? string.Join(' ', parts) : null;
    }
}
