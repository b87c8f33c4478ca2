using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary>Mistakes on the command line or in the configuration: a message naming the problem, a non-zero exit.</summary>
public sealed class CliErrorTests
{
    private static readonly string Streams = Path.Combine(AppContext.BaseDirectory, "streams.dll");

    [Fact]
    public async Task An_unknown_verb_is_named()
    {
        var result = await RunAsync(["frobnicate"]);
        result.Exit.Should().Be(2, "a usage error exits with 2");
        result.Err.Should().Contain("frobnicate");
    }

    [Fact]
    public async Task A_bad_option_is_named()
    {
        var unknown = await RunAsync(["dev", "--brokerz", "3"]);
        unknown.Exit.Should().Be(2);
        unknown.Err.Should().Contain("--brokerz");

        var notANumber = await RunAsync(["dev", "--brokers", "many"]);
        notANumber.Exit.Should().Be(2);
        notANumber.Err.Should().Contain("many").And.Contain("--brokers");
    }

    [Theory]
    [InlineData("format cat", "Required argument 'FILE' missing")]
    [InlineData("run pipeline.yaml", "--input")]
    [InlineData("registry get", "give a subject, or --id")]
    public async Task A_missing_argument_is_a_usage_error(string command, string message)
    {
        var result = await RunAsync(command.Split(' '));
        result.Exit.Should().Be(2, result.Err);
        result.Err.Should().Contain(message);
    }

    [Fact]
    public async Task Messages_carry_no_dotnet_parameter_names_or_stack_traces()
    {
        var files = Directory.CreateTempSubdirectory("streams-cli-files-");
        try
        {
            var spec = Path.Combine(files.FullName, "p.yaml");
            await File.WriteAllTextAsync(spec, "name: p\nsource: {batch: {path: x}}\n");
            var input = Path.Combine(files.FullName, "in.jsonl");
            await File.WriteAllTextAsync(input, "{\"a\": 1}\n");

            var result = await RunAsync(["run", spec, "--input", input, "--output", Path.Combine(files.FullName, "out.jsonl")]);

            result.Exit.Should().Be(1);
            result.Err.Should().Contain("streams run: ").And.Contain("schema").And.NotContain("(Parameter").And.NotContain("   at ");
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Help_states_the_exit_codes()
    {
        var result = await RunAsync(["--help"]);
        result.Exit.Should().Be(0);
        result.Out.Should().Contain("Exit codes: 0 success; 1 bad data, not found, refused or unreachable; 2 usage error");
    }

    [Theory]
    [InlineData("STREAMS__API__URL", "not a url", "Streams:Api:Url (STREAMS__API__URL) is 'not a url'")]
    [InlineData("STREAMS__KAFKA__BOOTSTRAPSERVERS", "broker-without-port", "Streams:Kafka:BootstrapServers (STREAMS__KAFKA__BOOTSTRAPSERVERS)")]
    [InlineData("STREAMS__POSTGRES__CONNECTIONSTRING", "Hots=db;Database=x", "Streams:Postgres:ConnectionString (STREAMS__POSTGRES__CONNECTIONSTRING)")]
    [InlineData("STREAMS__LAKE__S3__FORCEPATHSTYLE", "maybe", "Streams:Lake:S3:ForcePathStyle")]
    public async Task An_invalid_configuration_value_names_the_setting_and_nothing_starts(string variable, string value, string expected)
    {
        var state = Directory.CreateTempSubdirectory("streams-badconfig-");
        try
        {
            var result = await RunAsync(["dev", "--state", state.FullName], new Dictionary<string, string> { [variable] = value });
            result.Exit.Should().Be(1);
            result.Err.Should().Contain(expected);
            Directory.Exists(Path.Combine(state.FullName, "postgres")).Should().BeFalse("nothing starts on a bad configuration");
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_without_services_names_the_settings_it_needs()
    {
        var result = await RunAsync(["serve"]);
        result.Exit.Should().Be(1);
        result.Err.Should().Contain("STREAMS__POSTGRES__CONNECTIONSTRING").And.Contain("STREAMS__KAFKA__BOOTSTRAPSERVERS")
            .And.Contain("STREAMS__LAKE__ROOT");
    }

    private static async Task<ToolResult> RunAsync(string[] arguments, Dictionary<string, string>? environment = null)
    {
        // Run from an empty directory so that no appsettings.json or .streams/dev.json of the checkout applies.
        var directory = Directory.CreateTempSubdirectory("streams-cli-");
        try
        {
            return await ExternalTool.RunUncheckedAsync("dotnet", [Streams, .. arguments], workingDirectory: directory.FullName,
                environment: environment, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
