using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Streams.Catalog.Model;
using Streams.Catalog.Schemas;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// Crawls Kafka topics through their value schemas in a Confluent-compatible schema registry: for each topic,
/// <c>GET {SCHEMA_REGISTRY_URL}/subjects/{topic}-value/versions/latest</c> (TopicNameStrategy), parses the Avro
/// schema and describes the topic as a table. Connection properties: <c>KAFKA_BOOTSTRAP_SERVERS</c>,
/// <c>SCHEMA_REGISTRY_URL</c>, optionally <c>SCHEMA_REGISTRY_USERNAME</c>/<c>SCHEMA_REGISTRY_PASSWORD</c> (basic auth).
/// A topic without a subject, or with a schema that is not an Avro record, is logged and skipped. With a
/// <see cref="IKafkaTopicLister"/>, a topic the cluster does not have is logged as missing, with how to create it.
/// </summary>
public sealed class KafkaCrawler(Crawler crawler, CrawlMetrics metrics, HttpClient http, IKafkaTopicLister? kafkaTopics = null)
{
    /// <summary>Reads the schemas of <paramref name="target"/>'s topics.</summary>
    public async Task<IReadOnlyList<CrawledTable>> CrawlAsync(KafkaTarget target, IReadOnlyDictionary<string, string> connection,
        CancellationToken cancellationToken)
    {
        var registry = connection.GetValueOrDefault("SCHEMA_REGISTRY_URL")
                       ?? throw new InvalidInputException($"Kafka connection {target.ConnectionName} has no SCHEMA_REGISTRY_URL.");
        var tables = new List<CrawledTable>();
        var existing = await ExistingTopicsAsync(connection, cancellationToken);
        foreach (var topic in target.Topics ?? [])
        {
            if (existing is not null && !existing.Contains(topic))
            {
                metrics.TopicMissing(topic, $"the topic does not exist on Kafka at {connection["KAFKA_BOOTSTRAP_SERVERS"]}: create it "
                    + $"(`streams topics create {topic}`, or kafka-topics.sh --create --topic {topic}) and register its value schema as "
                    + $"subject {topic}-value, then run the crawler again");
                continue;
            }

            var subject = $"{topic}-value";
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"{registry.TrimEnd('/')}/subjects/{Uri.EscapeDataString(subject)}/versions/latest");
            request.Headers.Accept.ParseAdd("application/vnd.schemaregistry.v1+json");
            if (connection.GetValueOrDefault("SCHEMA_REGISTRY_USERNAME") is { Length: > 0 } user)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{connection.GetValueOrDefault("SCHEMA_REGISTRY_PASSWORD")}")));
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                metrics.FileUnclassified($"kafka topic {topic} (no subject {subject} in {registry}: register the topic's value schema, "
                    + $"e.g. `streams registry register {subject} schema.avsc`)");
                continue;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The schema registry answered {(int)response.StatusCode} for subject {subject}: {body}");
            }

            RecordSchema schema;
            int id, version;
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var type = root.TryGetProperty("schemaType", out var t) ? t.GetString() : "AVRO";
                if (type is not (null or "AVRO"))
                {
                    metrics.FileUnclassified($"kafka topic {topic} (subject {subject} holds a {type} schema)");
                    continue;
                }

                id = root.GetProperty("id").GetInt32();
                version = root.GetProperty("version").GetInt32();
                if (AvroSchemaParser.Parse(root.GetProperty("schema").GetString()!) is not RecordSchema record)
                {
                    metrics.FileUnreadable($"kafka topic {topic}", $"subject {subject}'s schema is not a record");
                    continue;
                }

                schema = record;
            }
            catch (Exception e) when (e is JsonException or SchemaException or KeyNotFoundException or InvalidOperationException)
            {
                metrics.FileUnreadable($"kafka topic {topic}", $"subject {subject}: {e.Message}");
                continue;
            }

            metrics.FileRead();
            var kafka = new Dictionary<string, string>
            {
                ["classification"] = "avro",
                ["typeOfData"] = "kafka",
                ["topicName"] = topic,
                ["connectionName"] = target.ConnectionName ?? "",
                ["schemaSubject"] = subject,
                ["schemaId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["schemaVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            tables.Add(new CrawledTable(new TableInput
            {
                Name = JsonSchemaInference.Sanitize(crawler.TablePrefix + topic).ToLowerInvariant(),
                TableType = "EXTERNAL_TABLE",
                StorageDescriptor = new StorageDescriptor
                {
                    Columns = [.. schema.Fields.Select(f => new Column { Name = f.Name, Type = GlueTypes.ToTypeString(f.Schema), Comment = f.Doc })],
                    Location = topic,
                    Parameters = kafka,
                },
                PartitionKeys = [],
                Parameters = kafka,
            }, []));
        }

        return tables;
    }

    /// <summary>The cluster's topics, or null when there is no lister, no bootstrap servers or no answer (then logged).</summary>
    private async Task<IReadOnlySet<string>?> ExistingTopicsAsync(IReadOnlyDictionary<string, string> connection, CancellationToken cancellationToken)
    {
        if (kafkaTopics is null || connection.GetValueOrDefault("KAFKA_BOOTSTRAP_SERVERS") is not { Length: > 0 } servers)
        {
            return null;
        }

        try
        {
            return await kafkaTopics.ListTopicsAsync(servers, cancellationToken);
        }
        catch (IOException e)
        {
            metrics.Log($"WARNING {e.Message}; the topics were not checked, only their registry subjects");
            return null;
        }
    }
}
