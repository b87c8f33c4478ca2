using Streams.Host.Configuration;
using Streams.Host.Dev;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary>
/// A <c>streams dev</c> stack in this process (embedded broker, registry API) on a throwaway database, and a way to
/// run the <c>streams</c> executable against it from an empty directory, as a user's shell would.
/// </summary>
public sealed class KafkaDevStack : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DevStack _stack = null!;

    public string Directory { get; private set; } = "";

    public string BootstrapServers => _stack.Options.Kafka.BootstrapServers;

    public string ApiUrl => _stack.ApiUrl;

    public string RegistryUrl => _stack.ApiUrl + "/registry";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Directory = System.IO.Directory.CreateTempSubdirectory("streams-kafka-cli-").FullName;
        var options = new StreamsOptions();
        options.Postgres.ConnectionString = _database.ConnectionString;
        _stack = await DevStack.StartAsync(options, new DevStackSettings(Path.Combine(Directory, ".state"), Brokers: 1, ApiPort: 0), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Writes <paramref name="text"/> to a file of the working directory and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <c>streams</c> with the stack's endpoints in the environment, as `streams dev`'s dev.json would give them.</summary>
    public Task<ToolResult> StreamsAsync(params string[] arguments) => StreamsAsync(arguments, null);

    public Task<ToolResult> StreamsAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string>
        {
            ["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = BootstrapServers,
            ["STREAMS__REGISTRY__URL"] = RegistryUrl,
            ["STREAMS__API__URL"] = ApiUrl,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return ExternalTool.RunUncheckedAsync(Path.Combine(AppContext.BaseDirectory, "streams"), arguments, workingDirectory: Directory,
            environment: variables, timeout: TimeSpan.FromSeconds(90));
    }
}
