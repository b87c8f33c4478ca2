using Streams.Api.Registry;
using Streams.Registry;
using Streams.Testing;

namespace Streams.Host.Tests.Cli;

/// <summary><c>streams registry ...</c> run as a process against a registry served on Kestrel.</summary>
public sealed class RegistryCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestWebServer _server = null!;
    private string _url = "";
    private string _directory = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var connectionString = _database.ConnectionString;
        _server = await TestWebServer.StartAsync(
            builder => builder.Services.AddSchemaRegistry(connectionString), app => app.MapSchemaRegistry("/registry"));
        _url = _server.Url + "/registry";
        _directory = Directory.CreateTempSubdirectory("registry-cli").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<string> StreamsAsync(params string[] arguments) =>
        ExternalTool.RunAsync(Path.Combine(AppContext.BaseDirectory, "streams"), ["registry", .. arguments, "--url", _url],
            timeout: TimeSpan.FromSeconds(30));

    private string SchemaFile(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json + "\n");
        return path;
    }

    [Fact]
    public async Task Registers_lists_gets_checks_and_configures()
    {
        var v1 = SchemaFile("v1.avsc", """{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}""");
        var v2 = SchemaFile("v2.avsc", """{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"n","type":"string","default":""}]}""");
        var bad = SchemaFile("bad.avsc", """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}""");

        (await StreamsAsync("register", "orders-value", v1)).Trim().Should().Be("1");
        (await StreamsAsync("check", "orders-value", v2)).Trim().Should().Be("compatible");
        var incompatible = await FluentActions.Awaiting(() => StreamsAsync("check", "orders-value", bad, "--version", "latest"))
            .Should().ThrowAsync<InvalidOperationException>();
        incompatible.Which.Message.Should().Contain("exited with 1");
        (await StreamsAsync("register", "orders-value", v2)).Trim().Should().Be("2");
        (await StreamsAsync("subjects")).Trim().Should().Be("orders-value");
        (await StreamsAsync("versions", "orders-value")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("1", "2");
        var latest = await StreamsAsync("get", "orders-value");
        latest.Should().StartWith("subject orders-value version 2 id 2 (AVRO)").And.Contain("\"n\"");
        (await StreamsAsync("get", "--id", "1")).Should().StartWith("id 1 (AVRO)");
        (await StreamsAsync("config", "orders-value", "--set", "full_transitive")).Trim().Should().Be("FULL_TRANSITIVE");
        var missing = await FluentActions.Awaiting(() => StreamsAsync("get", "nope")).Should().ThrowAsync<InvalidOperationException>();
        missing.Which.Message.Should().Contain("exited with 1").And.Contain("40401");
        var badLevel = await FluentActions.Awaiting(() => StreamsAsync("config", "orders-value", "--set", "sideways")).Should().ThrowAsync<InvalidOperationException>();
        badLevel.Which.Message.Should().Contain("exited with 2").And.Contain("--set");
    }
}
