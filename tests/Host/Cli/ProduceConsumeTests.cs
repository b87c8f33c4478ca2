using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Streams.Formats;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Streaming.Kafka;
using Streams.Testing;
using ApacheRecord = Avro.Generic.GenericRecord;
using ConfluentDeserializer = Confluent.SchemaRegistry.Serdes.AvroDeserializer<Avro.Generic.GenericRecord>;
using ConfluentSerializer = Confluent.SchemaRegistry.Serdes.AvroSerializer<Avro.Generic.GenericRecord>;

namespace Streams.Host.Tests.Cli;

/// <summary>
/// <c>streams topics</c>, <c>produce</c> and <c>consume</c> as processes against a dev stack's embedded broker and
/// registry, checked with independent readers and writers: Confluent's AvroSerializer/AvroDeserializer 2.16 on
/// Apache.Avro GenericRecords, and kcat piping the raw messages to python3-avro.
/// </summary>
public sealed class ProduceConsumeTests(KafkaDevStack stack) : IClassFixture<KafkaDevStack>
{
    private const string OrderSchema = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":"double"},
          {"name":"note","type":["null","string"],"default":null}]}
        """;

    private static readonly (long Id, string Customer, double Amount, string? Note)[] Orders =
        [(1, "ada", 12.5, null), (2, "bob", 3.25, "gift"), (5, "dee", 99.0, null)];

    [Fact]
    public async Task Produce_sends_the_records_that_fit_and_names_file_and_line_of_those_that_do_not()
    {
        var topic = await CreateTopicAsync("orders-jsonl");
        var schema = stack.File("order.avsc", OrderSchema);
        var file = stack.File("orders.jsonl", """
            {"id":1,"customer":"ada","amount":12.5}
            {"id":2,"customer":"bob","amount":3.25,"note":"gift"}
            {"id":3,"amount":7}
            {"id":4,"customer":"cy","amount":"lots"}
            {"id":5,"customer":"dee","amount":99.0}
            """);

        var produced = await stack.StreamsAsync("produce", topic, "--file", file, "--schema", schema, "--key", "customer");
        produced.Exit.Should().Be(0, produced.Err);
        produced.Err.Should().Contain("orders.jsonl line 3: customer:").And.Contain("orders.jsonl line 4: amount:")
            .And.NotContain("line 1:").And.NotContain("line 5:").And.NotContain("   at ");
        var summary = SummaryRow(produced.Out);
        summary["Records"].Should().Be("3");
        summary["Rejected"].Should().Be("2");
        summary["Subject"].Should().Be(topic + "-value");
        var schemaId = int.Parse(summary["Schema id"], System.Globalization.CultureInfo.InvariantCulture);

        // Confluent's own deserializer on Apache.Avro GenericRecords reads every value and the keys.
        var confluent = await ReadWithConfluentAsync(topic, 3);
        confluent.Select(m => (m.Key, Order(m.Value))).Should().BeEquivalentTo(Orders.Select(o => (o.Customer, o)));

        // kcat hands the raw messages to python3-avro, which decodes them with the schema the id names.
        var python = JsonNode.Parse(await KcatToPythonAsync(topic))!.AsArray();
        python.Select(n => (n!["id"]!.GetValue<long>(), n["customer"]!.GetValue<string>(), n["amount"]!.GetValue<double>(),
            n["note"]?.GetValue<string>())).Should().BeEquivalentTo(Orders);
        python.Select(n => n!["_schema_id"]!.GetValue<int>()).Should().OnlyContain(id => id == schemaId);

        // And streams consume prints the same values.
        var consumed = await stack.StreamsAsync("consume", topic, "--from-beginning", "--limit", "3", "--timeout", "20");
        consumed.Exit.Should().Be(0, consumed.Err);
        ParseOrders(consumed.Out).Should().BeEquivalentTo(Orders);
    }

    [Theory]
    [InlineData(".avro")]
    [InlineData(".parquet")]
    [InlineData(".csv")]
    public async Task Produce_reads_avro_parquet_and_csv_files(string extension)
    {
        var topic = await CreateTopicAsync("orders" + extension.Replace('.', '-'));
        var schema = (RecordSchema)AvroSchemaParser.Parse(OrderSchema);
        var path = Path.Combine(stack.Directory, "orders" + extension);
        await using (var writer = await RecordFiles.OpenWriterAsync(path, schema))
        {
            foreach (var o in Orders)
            {
                await writer.WriteAsync(new Formats.Model.GenericRecord(schema, [o.Id, o.Customer, o.Amount, o.Note]));
            }
        }

        // Avro and Parquet files carry their schema: with no subject yet it is registered; CSV needs --schema.
        string[] arguments = extension == ".csv"
            ? ["produce", topic, "--file", path, "--schema", stack.File("order-csv.avsc", OrderSchema)]
            : ["produce", topic, "--file", path];
        var produced = await stack.StreamsAsync(arguments);
        produced.Exit.Should().Be(0, produced.Err);
        SummaryRow(produced.Out)["Records"].Should().Be("3");
        var confluent = await ReadWithConfluentAsync(topic, 3);
        confluent.Select(m => Order(m.Value)).Should().BeEquivalentTo(Orders);
    }

    [Fact]
    public async Task Consume_reads_what_confluents_serializer_wrote_with_auto_register_and_latest_version()
    {
        var topic = await CreateTopicAsync("confluent-orders");
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.RegistryUrl });
        var schema = (Avro.RecordSchema)Avro.Schema.Parse(OrderSchema);
        var clients = new KafkaClientFactory(new KafkaOptions { BootstrapServers = stack.BootstrapServers });
        var configs = new (bool AutoRegister, bool UseLatest)[] { (true, false), (false, true) };
        foreach (var (config, index) in configs.Select((c, i) => (c, i)))
        {
            var serializer = new ConfluentSerializer(registry, new Confluent.SchemaRegistry.Serdes.AvroSerializerConfig
            {
                AutoRegisterSchemas = config.AutoRegister,
                UseLatestVersion = config.UseLatest,
            });
            using var producer = new ProducerBuilder<Null, ApacheRecord>(clients.ProducerConfig()).SetValueSerializer(serializer.AsSyncOverAsync()).Build();
            foreach (var o in Orders)
            {
                var record = new ApacheRecord(schema);
                record.Add("id", o.Id + (index * 100));
                record.Add("customer", o.Customer);
                record.Add("amount", o.Amount);
                record.Add("note", o.Note);
                producer.Produce(topic, new Message<Null, ApacheRecord> { Value = record });
            }

            producer.Flush(TimeSpan.FromSeconds(30)).Should().Be(0);
        }

        // A message that is not in the wire format: an error line naming partition and offset, and consumption goes on.
        using (var raw = clients.CreateProducer<Null, byte[]>())
        {
            await raw.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, byte[]> { Value = "not avro"u8.ToArray() });
        }

        var consumed = await stack.StreamsAsync("consume", topic, "--from-beginning", "--limit", "7", "--timeout", "20");
        consumed.Exit.Should().Be(0, consumed.Err);
        var expected = configs.SelectMany((_, i) => Orders.Select(o => o with { Id = o.Id + (i * 100) }));
        ParseOrders(consumed.Out).Should().BeEquivalentTo(expected);
        consumed.Err.Should().MatchRegex(@"error: partition 0 offset \d+: .*magic byte");
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_and_a_non_zero_exit_only_when_nothing_was_sent()
    {
        var topic = await CreateTopicAsync("orders-bad");
        var schema = stack.File("order-bad.avsc", OrderSchema);
        var allBad = stack.File("bad.jsonl", "{\"id\":\"x\"}\nnot json\n");

        var nothingFits = await stack.StreamsAsync("produce", topic, "--file", allBad, "--schema", schema);
        nothingFits.Exit.Should().Be(1);
        nothingFits.Err.Should().Contain("bad.jsonl line 1:").And.Contain("bad.jsonl line 2: not valid JSON");

        var good = stack.File("good.jsonl", "{\"id\":1,\"customer\":\"ada\",\"amount\":1}\n");
        var unknownSubject = await stack.StreamsAsync("produce", topic, "--file", good, "--subject", "nobody-value");
        unknownSubject.Exit.Should().Be(1);
        unknownSubject.Err.Should().Contain("no subject 'nobody-value'").And.Contain("--schema");

        var refusedName = await stack.StreamsAsync("produce", "bad topic!", "--file", good, "--schema", schema);
        refusedName.Exit.Should().Be(1);
        refusedName.Err.Should().Contain("The topic name 'bad topic!' contains ' '");

        var noBroker = await stack.StreamsAsync(["produce", topic, "--file", good, "--schema", schema],
            new Dictionary<string, string> { ["STREAMS__KAFKA__BOOTSTRAPSERVERS"] = "127.0.0.1:1" });
        noBroker.Exit.Should().Be(1);
        noBroker.Err.Should().Contain("Kafka at 127.0.0.1:1 did not answer").And.Contain("streams dev");

        foreach (var result in new[] { nothingFits, unknownSubject, refusedName, noBroker })
        {
            result.Err.Should().NotContain("   at ", "a user error is a message, never a stack trace");
        }
    }

    [Fact]
    public async Task Topics_are_created_described_and_deleted_through_the_running_stack()
    {
        var created = await stack.StreamsAsync("topics", "create", "clicks", "--partitions", "6");
        created.Exit.Should().Be(0, created.Err);
        created.Out.Should().Contain("created clicks: 6 partition(s)");
        (await stack.StreamsAsync("topics", "list")).Out.Should().MatchRegex(@"clicks\s+│ 6 ");

        var again = await stack.StreamsAsync("topics", "create", "clicks");
        again.Exit.Should().Be(1);
        again.Err.Should().Contain("exists already");

        var described = await stack.StreamsAsync("topics", "describe", "clicks");
        described.Out.Should().Contain("clicks: 6 partition(s), 0 record(s)").And.Contain("not available: consumer groups");

        (await stack.StreamsAsync("topics", "delete", "clicks")).Exit.Should().Be(0);
        var gone = await stack.StreamsAsync("topics", "describe", "clicks");
        gone.Exit.Should().Be(1);
        gone.Err.Should().Contain("'clicks' does not exist");
    }

    [Fact]
    public async Task Confluents_client_reads_the_registration_answer_and_the_metadata_route()
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.RegistryUrl });
        var registered = await registry.RegisterSchemaWithResponseAsync("meta-value", new Confluent.SchemaRegistry.Schema(OrderSchema, Confluent.SchemaRegistry.SchemaType.Avro));
        registered.Subject.Should().Be("meta-value");
        registered.Version.Should().Be(1);
        registered.Id.Should().BeGreaterThan(0);

        var latest = await registry.GetLatestWithMetadataAsync("meta-value", new Dictionary<string, string>(), ignoreDeletedSchemas: true);
        (latest.Subject, latest.Version, latest.Id).Should().Be(("meta-value", 1, registered.Id));
        var filtered = () => registry.GetLatestWithMetadataAsync("meta-value", new Dictionary<string, string> { ["owner"] = "shop" }, true);
        (await filtered.Should().ThrowAsync<SchemaRegistryException>()).Which.ErrorCode.Should().Be(40402);
    }

    [Fact]
    public async Task Version_and_health_name_the_bundled_librdkafka()
    {
        var version = await stack.StreamsAsync("--version");
        version.Out.Should().Contain("librdkafka 2.16.0").And.Contain("Confluent.Kafka 2.16.0");
        using var http = new HttpClient();
        var health = JsonNode.Parse(await http.GetStringAsync(stack.ApiUrl + "/health"))!;
        health["librdkafka"]!.GetValue<string>().Should().Be("2.16.0");
    }

    private async Task<string> CreateTopicAsync(string name)
    {
        var result = await stack.StreamsAsync("topics", "create", name, "--partitions", "3");
        result.Exit.Should().Be(0, result.Err);
        return name;
    }

    private async Task<List<(string? Key, ApacheRecord Value)>> ReadWithConfluentAsync(string topic, int count)
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.RegistryUrl });
        var clients = new KafkaClientFactory(new KafkaOptions { BootstrapServers = stack.BootstrapServers });
        using var consumer = new ConsumerBuilder<string?, ApacheRecord>(clients.ConsumerConfig("confluent-check"))
            .SetValueDeserializer(new ConfluentDeserializer(registry).AsSyncOverAsync()).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<(string?, ApacheRecord)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                read.Add((result.Message.Key, result.Message.Value));
            }
        }

        consumer.Consume(TimeSpan.FromSeconds(1)).Should().BeNull("the topic holds only the records sent");
        return read;
    }

    private async Task<string> KcatToPythonAsync(string topic)
    {
        var script = stack.File("decode.py", """
            import io, json, struct, sys, urllib.request
            import avro.io, avro.schema
            data, registry, out, pos = sys.stdin.buffer.read(), sys.argv[1], [], 0
            while pos < len(data):
                end = data.index(b"\n", pos)
                size = int(data[pos:end]); pos = end + 1
                payload = data[pos:pos + size]; pos += size
                assert payload[0] == 0, "magic byte"
                schema_id = struct.unpack(">I", payload[1:5])[0]
                text = json.loads(urllib.request.urlopen(f"{registry}/schemas/ids/{schema_id}").read())["schema"]
                record = avro.io.DatumReader(avro.schema.parse(text)).read(avro.io.BinaryDecoder(io.BytesIO(payload[5:])))
                record["_schema_id"] = schema_id
                out.append(record)
            print(json.dumps(out))
            """);
        return await ExternalTool.RunAsync("bash",
            ["-c", $"kcat -C -b {stack.BootstrapServers} -t {topic} -o beginning -e -q -f '%S\\n%s' | {ExternalTool.Python} {script} {stack.RegistryUrl}"],
            timeout: TimeSpan.FromSeconds(60));
    }

    private static (long, string, double, string?) Order(ApacheRecord record) =>
        ((long)record["id"], (string)record["customer"], (double)record["amount"], (string?)record["note"]);

    private static List<(long Id, string Customer, double Amount, string? Note)> ParseOrders(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Select(n => (n["id"]!.GetValue<long>(), n["customer"]!.GetValue<string>(), n["amount"]!.GetValue<double>(), n["note"]?.GetValue<string>()))
            .ToList();

    /// <summary>The summary table's one data row, by column header.</summary>
    private static Dictionary<string, string> SummaryRow(string output)
    {
        var rows = output.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Trim().Trim('│').Split('│').Select(c => c.Trim()).ToArray()).ToList();
        rows.Should().HaveCount(2, output);
        return rows[0].Zip(rows[1]).ToDictionary(p => p.First, p => p.Second);
    }
}
