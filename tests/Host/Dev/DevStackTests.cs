using System.Net.Http.Json;
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
                var health = await http.GetFromJsonAsync<Dictionary<string, string>>("/health");
                health.Should().ContainKey("status").WhoseValue.Should().Be("ok");
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
