using System.Reflection;
using Microsoft.Extensions.Configuration;
using Streams.Host.Configuration;
using Streams.Testing;
using YamlDotNet.RepresentationModel;

namespace Streams.Host.Tests.Configuration;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so this keeps it honest: every
/// <c>STREAMS__...</c> variable it gives the host must name a real setting and bind to it.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = ExternalTool.RepositoryRoot;

    [Fact]
    public void Every_streams_variable_in_docker_compose_binds_to_a_setting()
    {
        var environment = ServiceEnvironment("streams");
        environment.Keys.Should().Contain(["STREAMS__KAFKA__BOOTSTRAPSERVERS", "STREAMS__POSTGRES__CONNECTIONSTRING", "STREAMS__LAKE__ROOT"]);

        foreach (var key in environment.Keys.Where(k => k.StartsWith("STREAMS__", StringComparison.Ordinal)))
        {
            SettingPath(key).Should().NotBeNull($"{key} in docker-compose.yml should name a property of StreamsOptions");
        }

        var options = StreamsOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build());
        options.Kafka.BootstrapServers.Should().Be("kafka:9092");
        options.Postgres.ConnectionString.Should().Contain("Host=postgres");
        options.Lake.Root.Should().Be("s3://lake/");
        options.Lake.S3.ServiceUrl.Should().Be("http://minio:9000");
        options.Lake.S3.AccessKey.Should().Be(ServiceEnvironment("minio")["MINIO_ROOT_USER"]);
        options.Lake.S3.SecretKey.Should().Be(ServiceEnvironment("minio")["MINIO_ROOT_PASSWORD"]);
        options.Api.Url.Should().Be("http://0.0.0.0:8080");
        options.Kafka.Topics.Select(t => (t.Name, t.Partitions)).Should().Equal(("orders", 4), ("orders.dlq", 4));
        options.Kafka.Topics[1].Configs.Should().ContainKey("retention.ms");
        ServiceEnvironment("kafka")["KAFKA_AUTO_CREATE_TOPICS_ENABLE"].Should().Be("false",
            "the topics are created by the host through the admin API, not on first use");
    }

    [Fact]
    public void Compose_wires_the_host_to_the_services_it_declares()
    {
        var services = Services();
        services.Keys.Should().Contain(["kafka", "postgres", "minio", "streams"]);
        var kafka = ServiceEnvironment("kafka");
        kafka["KAFKA_PROCESS_ROLES"].Should().Contain("controller", "Kafka runs in KRaft mode, without ZooKeeper");
        ServiceEnvironment("streams")["STREAMS__KAFKA__BOOTSTRAPSERVERS"].Should().Be(kafka["KAFKA_ADVERTISED_LISTENERS"].Split("//")[1]);
        var postgres = ServiceEnvironment("postgres");
        ServiceEnvironment("streams")["STREAMS__POSTGRES__CONNECTIONSTRING"].Should()
            .Contain($"Username={postgres["POSTGRES_USER"]}").And.Contain($"Password={postgres["POSTGRES_PASSWORD"]}")
            .And.Contain($"Database={postgres["POSTGRES_DB"]}");
    }

    [Fact]
    public void Appsettings_json_names_only_real_settings()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Root, "src/Host/appsettings.json")).Build();
        var leaves = configuration.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
        leaves.Should().NotBeEmpty();
        foreach (var key in leaves)
        {
            SettingPath(key.Replace(":", "__", StringComparison.Ordinal)).Should().NotBeNull($"appsettings.json key {key} should name a setting");
        }
    }

    /// <summary>Follows STREAMS__A__B through StreamsOptions' properties; null when a segment does not exist.</summary>
    private static PropertyInfo? SettingPath(string variable)
    {
        var segments = variable.Split("__");
        segments[0].Should().BeEquivalentTo(StreamsOptions.Section);
        var type = typeof(StreamsOptions);
        PropertyInfo? property = null;
        foreach (var segment in segments[1..])
        {
            if (property is not null && property.PropertyType.IsGenericType
                && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                return property;
            }

            // A list's elements are bound by index: STREAMS__KAFKA__TOPICS__0__NAME.
            if (property is not null && property.PropertyType.IsGenericType
                && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>)
                && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                type = property.PropertyType.GetGenericArguments()[0];
                continue;
            }

            property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
        }

        return property;
    }

    private static Dictionary<string, YamlMappingNode> Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        return services.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);
    }

    private static Dictionary<string, string> ServiceEnvironment(string service) =>
        ((YamlMappingNode)Services()[service]["environment"]).Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);
}
