using System.Net;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Npgsql;
using Streams.Host.Configuration;
using Streams.Host.Dev;
using Streams.Streaming.Kafka;

namespace Streams.Host.Tests.Dev;

public sealed class DevStackTests
{
    [Fact]
    public async Task Starts_kafka_postgres_lake_and_api_and_each_answers()
    {
        var state = NewStateDirectory();
        try
        {
            var stack = await DevStack.StartAsync(new StreamsOptions(), new DevStackSettings(state, Brokers: 2, ApiPort: 0),
                CancellationToken.None);
            string connectionString;
            await using (stack)
            {
                connectionString = stack.Options.Postgres.ConnectionString;
                stack.Options.Kafka.BootstrapServers.Split(',').Should().HaveCount(2);
                Directory.Exists(Path.Combine(state, "lake")).Should().BeTrue();
                stack.Options.Lake.Root.Should().Be(Path.Combine(state, "lake"));

                await using (var connection = new NpgsqlConnection(connectionString))
                {
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand("CREATE TABLE t (x int); INSERT INTO t VALUES (41), (1); SELECT sum(x) FROM t", connection);
                    (await command.ExecuteScalarAsync()).Should().Be(42L);
                }

                var factory = new KafkaClientFactory(stack.Options.Kafka);
                using (var producer = factory.CreateProducer<Null, string>())
                {
                    await producer.ProduceAsync("dev-check", new Message<Null, string> { Value = "hello" });
                }

                using (var consumer = factory.CreateConsumer<Null, string>("dev-check"))
                {
                    consumer.Subscribe("dev-check");
                    consumer.Consume(TimeSpan.FromSeconds(20))?.Message.Value.Should().Be("hello");
                }

                using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
                stack.ApiUrl.Should().StartWith("http://127.0.0.1:");
                await AssertHealthAsync(http, stack.Options.Lake.Root);
            }

            // Disposed: PostgreSQL is down.
            await using var after = new NpgsqlConnection(connectionString + ";Timeout=3");
            var open = () => after.OpenAsync();
            await open.Should().ThrowAsync<NpgsqlException>();
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>
    /// /health probes each dependency: all up with a latency, then, with the lake root gone, 503 naming the lake
    /// while the others stay up; /health/live answers 200 throughout, touching nothing.
    /// </summary>
    private static async Task AssertHealthAsync(HttpClient http, string lakeRoot)
    {
        string[] dependencies = ["postgres", "kafka", "registry", "lake"];
        using (var ok = await http.GetAsync("/health"))
        {
            var body = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
            ok.StatusCode.Should().Be(HttpStatusCode.OK, body.ToJsonString());
            body["status"]!.GetValue<string>().Should().Be("ok");
            foreach (var name in dependencies)
            {
                body["dependencies"]![name]!["state"]!.GetValue<string>().Should().Be("up", name);
                body["dependencies"]![name]!["latencyMs"]!.GetValue<double>().Should().BeInRange(0, 3000, name);
            }
        }

        Directory.Delete(lakeRoot, recursive: true);
        try
        {
            using var down = await http.GetAsync("/health");
            var body = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;
            down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body.ToJsonString());
            body["status"]!.GetValue<string>().Should().Be("unavailable");
            body["dependencies"]!["lake"]!["state"]!.GetValue<string>().Should().Be("down");
            body["dependencies"]!["lake"]!["error"]!.GetValue<string>().Should().Contain(lakeRoot);
            dependencies.Where(d => d != "lake").Select(d => body["dependencies"]![d]!["state"]!.GetValue<string>())
                .Should().AllBe("up");
            using var live = await http.GetAsync("/health/live");
            live.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Directory.CreateDirectory(lakeRoot);
        }
    }

    [Fact]
    public async Task A_second_start_reuses_the_state_directory_and_keeps_the_data()
    {
        var state = NewStateDirectory();
        try
        {
            await using (var first = await DevStack.StartAsync(new StreamsOptions(), new DevStackSettings(state, 1, 0), CancellationToken.None))
            {
                await using var connection = new NpgsqlConnection(first.Options.Postgres.ConnectionString);
                await connection.OpenAsync();
                await new NpgsqlCommand("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')", connection).ExecuteNonQueryAsync();
            }

            await using var second = await DevStack.StartAsync(new StreamsOptions(), new DevStackSettings(state, 1, 0), CancellationToken.None);
            await using var again = new NpgsqlConnection(second.Options.Postgres.ConnectionString);
            await again.OpenAsync();
            (await new NpgsqlCommand("SELECT v FROM kept", again).ExecuteScalarAsync()).Should().Be("still here");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    // World-traversable, like a checkout under /home or /srv, so that the postgres user reaches it directly.
    private static string NewStateDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("streams-dev-");
        directory.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        return directory.FullName;
    }
}
