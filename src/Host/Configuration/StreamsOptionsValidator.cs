using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Streams.Host.Configuration;

/// <summary>
/// Checks configured values before anything starts, so that a typo is reported as the setting that
/// holds it (with its environment variable name), not as a failure deep inside a client library.
/// </summary>
public static class StreamsOptionsValidator
{
    /// <summary>Binds the options, turning a value that does not convert into a message naming the setting.</summary>
    /// <exception cref="StreamsConfigurationException">A value does not bind.</exception>
    public static StreamsOptions Bind(IConfiguration configuration)
    {
        try
        {
            return StreamsOptions.Bind(configuration);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key in its message ("Failed to convert configuration value at 'Streams:...' ...").
            throw new StreamsConfigurationException([e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}"]);
        }
    }

    /// <summary>Every problem with the values that are set; empty when they are usable. Empty values are not checked.</summary>
    public static IReadOnlyList<string> Problems(StreamsOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.Api.Url, UriKind.Absolute, out var api) || (api.Scheme != "http" && api.Scheme != "https"))
        {
            problems.Add(Describe("Streams:Api:Url", options.Api.Url, "an absolute http:// URL such as http://127.0.0.1:8080"));
        }

        foreach (var server in options.Kafka.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(server[(colon + 1)..], out var port) || port == 0)
            {
                problems.Add(Describe("Streams:Kafka:BootstrapServers", options.Kafka.BootstrapServers,
                    "a comma-separated list of host:port, such as broker1:9092,broker2:9092"));
                break;
            }
        }

        if (options.Postgres.ConnectionString.Length > 0)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.Postgres.ConnectionString);
            }
            catch (ArgumentException e)
            {
                problems.Add(Describe("Streams:Postgres:ConnectionString", options.Postgres.ConnectionString,
                    $"an Npgsql connection string such as Host=db;Username=streams;Password=...;Database=streams ({e.Message})"));
            }
        }

        if (options.Lake.Root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? options.Lake.Root.Length <= "s3://".Length || options.Lake.Root["s3://".Length] == '/'
            : options.Lake.Root.Contains("://", StringComparison.Ordinal))
        {
            problems.Add(Describe("Streams:Lake:Root", options.Lake.Root, "a directory, or s3://bucket/prefix"));
        }

        if (options.Lake.S3.ServiceUrl.Length > 0 && !Uri.TryCreate(options.Lake.S3.ServiceUrl, UriKind.Absolute, out _))
        {
            problems.Add(Describe("Streams:Lake:S3:ServiceUrl", options.Lake.S3.ServiceUrl, "an absolute URL such as http://minio:9000"));
        }

        return problems;
    }

    /// <summary>Throws <see cref="StreamsConfigurationException"/> when <see cref="Problems"/> finds any.</summary>
    public static void ThrowIfInvalid(StreamsOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new StreamsConfigurationException(problems);
        }
    }

    private static string Describe(string key, string value, string expected) =>
        $"{key} ({EnvironmentVariable(key)}) is '{value}'; expected {expected}.";

    /// <summary>The environment variable that sets <paramref name="key"/>: <c>Streams:Api:Url</c> is <c>STREAMS__API__URL</c>.</summary>
    public static string EnvironmentVariable(string key) =>
        key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
}

/// <summary>The configuration holds values Streams cannot use; the message lists each with the setting to fix.</summary>
public sealed class StreamsConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration: " + string.Join(" ", problems))
{
    /// <summary>Each problem, naming the setting.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
