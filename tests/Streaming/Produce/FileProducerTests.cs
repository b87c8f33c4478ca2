using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Registry.Serdes;
using Streams.Streaming.Kafka;
using Streams.Streaming.Produce;
using Streams.Streaming.Tests.Speed;
using ConfluentDeserializer = Confluent.SchemaRegistry.Serdes.AvroDeserializer<Avro.Generic.GenericRecord>;

namespace Streams.Streaming.Tests.Produce;

/// <summary>
/// <see cref="FileProducer"/> on the embedded broker: the bytes it sends are the serializer's, keys included, and a record
/// the broker does not take is named one by one (refused at hand-over, or reported undelivered by librdkafka later).
/// </summary>
public sealed class FileProducerTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"record","name":"Click","namespace":"test","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"note","type":["null","string"],"default":null}]}
        """;

    private const string RichSchema = """
        {"type":"record","name":"Visit","namespace":"test","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"note","type":["null","string"],"default":null},
          {"name":"colour","type":{"type":"enum","name":"Colour","symbols":["RED","BLUE"]}},
          {"name":"counts","type":{"type":"array","items":"int"}},{"name":"scores","type":{"type":"map","values":"double"}},
          {"name":"seen","type":"boolean"},{"name":"ratio","type":"float"}]}
        """;

    private const string FlatSchema = """
        {"type":"record","name":"Flat","namespace":"test","fields":[
          {"name":"id","type":"long"},{"name":"user","type":"string"},{"name":"note","type":["null","string"],"default":null},
          {"name":"colour","type":{"type":"enum","name":"Shade","symbols":["RED","BLUE"]}},{"name":"seen","type":"boolean"},
          {"name":"ratio","type":"float"},{"name":"score","type":"double"},{"name":"level","type":"int","default":3}]}
        """;

    /// <summary>Line <paramref name="i"/> of the flat file and its record (added to <paramref name="records"/>), or null for a bad line.</summary>
    private static byte[]? FlatLine(RecordSchema schema, int i, List<GenericRecord> records)
    {
        if (i % 97 == 0)
        {
            return null;
        }

        var note = i % 4 == 0 ? null : i % 7 == 0 ? "é\n\"ü☕" : $"note {i}";
        var level = i % 13 == 0 ? 3 : i % 1000;
        var score = i % 17 == 0 ? double.NaN : i * 0.25;
        records.Add(new GenericRecord(schema, [(long)i * 1_000_003, $"user-{i % 50}", note, i % 3 == 0 ? "RED" : "BLUE", i % 2 == 0,
            (float)(i / 7.0), score, level]));
        var properties = new List<string>
        {
            $"\"id\":{(long)i * 1_000_003}", $"\"user\":\"user-{i % 50}\"",
            note is null ? (i % 8 == 0 ? "\"note\":null" : "") : i % 7 == 0 ? "\"note\":\"\\u00e9\\n\\\"\u00fc\u2615\"" : $"\"note\":\"{note}\"",
            $"\"colour\":\"{(i % 3 == 0 ? "RED" : "BLUE")}\"", $"\"seen\":{(i % 2 == 0 ? "true" : "false")}",
            $"\"ratio\":{(i / 7.0).ToString("R", CultureInfo.InvariantCulture)}",
            i % 17 == 0 ? "\"score\":\"NaN\"" : $"\"score\":{(i * 0.25).ToString("R", CultureInfo.InvariantCulture)}",
            i % 13 == 0 ? "" : $"\"level\":{i % 1000}",
            i % 11 == 0 ? "\"extra\":{\"x\":[1,{\"y\":\"\\ud800\"}]}" : "",
        };
        properties.RemoveAll(p => p.Length == 0);
        if (i % 5 == 0)
        {
            properties.Reverse();
        }

        return Encoding.UTF8.GetBytes("{" + string.Join(",", properties) + "}");
    }

    private static readonly string[] BadFlatKinds =
    [
        """{"id":1,"user":"u","colour":"RED","seen":true,"ratio":"x","score":1}""",
        """{"id":1,"colour":"RED","seen":true,"ratio":1,"score":1}""",
        """{"id":1,"user":"\ud800","colour":"RED","seen":true,"ratio":1,"score":1}""",
        """{"id":1,"user":"u","colour":"RED","seen":true,"ratio":1,"score":1} x""",
        """{"id":1.5,"user":"u","colour":"GREEN","seen":true,"ratio":1,"score":1}""",
    ];

    private static byte[] BadFlatLine(int i) => (i / 97) % 6 == 5
        ? [.. "{\"id\":1,\"user\":\"u"u8, 0xFF, .. "\",\"colour\":\"RED\",\"seen\":true,\"ratio\":1,\"score\":1}"u8]
        : Encoding.UTF8.GetBytes(BadFlatKinds[(i / 97) % 6]);

    /// <summary>The positions the bad lines of the flat file are reported at: a blank line follows every 500th line.</summary>
    private static IEnumerable<string> BadFlatPositions() => Enumerable.Range(1, 3000).Where(i => i % 97 == 0)
        .Select(i => $"line {(i + (i - 1) / 500).ToString(CultureInfo.InvariantCulture)}");

    private static string ApacheText(object? value) => value switch
    {
        null => "null",
        Avro.Generic.GenericEnum e => e.Value,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private SpeedStack _stack = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _stack = await SpeedStack.StartAsync();
        _directory = Directory.CreateTempSubdirectory("streams-produce-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sends_the_serializers_bytes_with_keys_across_batches_and_counts_what_was_delivered()
    {
        _stack.Kafka.CreateTopic("clicks", 4, 1);
        var lines = Enumerable.Range(1, 2500).Select(i => $$"""{"id":{{i}},"user":"u{{i % 7}}"{{(i % 2 == 0 ? ",\"note\":\"n\"" : "")}}}""");
        var file = Write("clicks.jsonl", string.Join("\n", lines));
        var rejected = new List<RejectedRecord>();

        var produced = await Producer().ProduceAsync(Options("clicks", file) with { KeyField = "user" }, rejected.Add);

        rejected.Should().BeEmpty();
        produced.Records.Should().Be(2500);
        produced.Failed.Should().Be(0);
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, "clicks");
        var expected = Enumerable.Range(1, 2500).Select(i => (Key: $"u{i % 7}",
            Value: serializer.Serialize(new GenericRecord(schema, [(long)i, $"u{i % 7}", i % 2 == 0 ? "n" : null]), context))).ToList();
        var messages = Read("clicks", 2500);
        // As sorted text: an unordered equivalence of 2,500 byte arrays is quadratic.
        messages.Select(m => System.Text.Encoding.UTF8.GetString(m.Key!) + " " + Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal)
            .Should().Equal(expected.Select(e => e.Key + " " + Convert.ToHexString(e.Value)).Order(StringComparer.Ordinal));
        produced.Bytes.Should().Be(expected.Sum(e => e.Key.Length + e.Value.Length));
    }

    [Fact]
    public async Task A_subject_named_for_the_run_is_the_one_the_values_are_written_under_whatever_the_topic()
    {
        _stack.Kafka.CreateTopic("clicks-elsewhere", 2, 1);
        var file = Write("elsewhere.jsonl", string.Join("\n", Enumerable.Range(1, 300).Select(i => $$"""{"id":{{i}},"user":"u{{i}}"}""")));
        var rejected = new List<RejectedRecord>();

        var produced = await Producer().ProduceAsync(Options("clicks-elsewhere", file) with { Subject = "shared-clicks" }, rejected.Add);

        rejected.Should().BeEmpty();
        produced.Records.Should().Be(300);
        produced.Subject.Should().Be("shared-clicks");
        (await _stack.Registry.GetSubjectsAsync()).Should().Contain("shared-clicks").And.NotContain("clicks-elsewhere-value");
        produced.SchemaId.Should().Be((await _stack.Registry.GetLatestSchemaAsync("shared-clicks")).Id);
        Read("clicks-elsewhere", 300).Select(m => WireFormat.ReadSchemaId(m.Value)).Should().AllBeEquivalentTo(produced.SchemaId);
    }

    [Fact]
    public async Task Keyless_records_go_a_read_batch_to_a_partition_in_turn_across_all_of_them()
    {
        _stack.Kafka.CreateTopic("spread", 4, 1);
        // JSON lines are read 1,024 to a batch: 10,000 records are 10 batches: 3, 3 (the last, short, among them), 2 and 2 to the partitions.
        var file = Write("spread.jsonl", string.Join("\n", Enumerable.Range(1, 10_000).Select(i => $$"""{"id":{{i}},"user":"u{{i}}"}""")));
        var rejected = new List<RejectedRecord>();

        var produced = await Producer().ProduceAsync(Options("spread", file), rejected.Add);

        rejected.Should().BeEmpty();
        produced.Records.Should().Be(10_000);
        using var consumer = _stack.Clients.CreateConsumer<byte[]?, byte[]>("spread-offsets");
        var counts = Enumerable.Range(0, 4)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition("spread", p), TimeSpan.FromSeconds(10)).High.Value).Order().ToList();
        counts.Should().Equal([2 * 1024, 2 * 1024, (2 * 1024) + 784, 3 * 1024]);

        // An Avro file's block is a read batch of any size: one block of 5,000 records goes 1,024 to a partition.
        _stack.Kafka.CreateTopic("spread-block", 4, 1);
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var avro = Path.Combine(_directory, "spread.avro");
        await using (var writer = AvroFileWriter.Create(avro, schema, new AvroFileWriterOptions { BlockSize = 1 << 24 }))
        {
            for (var i = 1; i <= 5000; i++)
            {
                await writer.WriteAsync(new GenericRecord(schema, [(long)i, $"u{i}", null]));
            }
        }

        var block = await Producer().ProduceAsync(Options("spread-block", avro), rejected.Add);

        rejected.Should().BeEmpty();
        block.AvroPassthrough.Should().BeTrue();
        Enumerable.Range(0, 4)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition("spread-block", p), TimeSpan.FromSeconds(10)).High.Value).Order()
            .Should().Equal([1024, 1024, 1024, 1024 + 904]);
    }

    [Fact]
    public async Task A_message_librdkafka_refuses_at_once_is_named_and_the_rest_go()
    {
        _stack.Kafka.CreateTopic("sized", 1, 1);
        var file = Write("sized.jsonl", $$"""
            {"id":1,"user":"ada"}
            {"id":2,"user":"{{new string('x', 5000)}}"}
            {"id":3,"user":"bob"}
            """);
        var rejected = new List<RejectedRecord>();

        var produced = await Producer("message.max.bytes", "2000").ProduceAsync(Options("sized", file), rejected.Add);

        produced.Records.Should().Be(2);
        produced.Failed.Should().Be(1);
        produced.Rejected.Should().Be(0, "the record fits the schema; the broker's limit refused it");
        rejected.Should().ContainSingle().Which.Should().Match<RejectedRecord>(r =>
            r.Undelivered && r.Position == "record 2" && r.Reason.StartsWith("not delivered: ", StringComparison.Ordinal));
        Read("sized", 2).Select(m => m.Value.Length).Should().OnlyContain(length => length < 100);
    }

    [Theory]
    [InlineData(1500)] // a read batch fits the queue, two do not: each waits for room
    [InlineData(300)] // a read batch does not fit even an empty queue: its messages go one by one
    public async Task A_small_librdkafka_queue_makes_the_producer_wait_and_keeps_each_keys_records_in_file_order(int queueMessages)
    {
        var topic = $"queued-{queueMessages}";
        _stack.Kafka.CreateTopic(topic, 4, 1);
        var file = Write(topic + ".jsonl", string.Join("\n", Enumerable.Range(1, 5000).Select(i => $$"""{"id":{{i}},"user":"u{{i % 7}}"}""")));
        var rejected = new List<RejectedRecord>();
        var producer = Producer("queue.buffering.max.messages", queueMessages.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var produced = await producer.ProduceAsync(Options(topic, file) with { KeyField = "user" }, rejected.Add);

        rejected.Should().BeEmpty();
        produced.Records.Should().Be(5000);
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var ids = Read(topic, 5000).Select(m => (Key: System.Text.Encoding.UTF8.GetString(m.Key!),
            Id: (long)((GenericRecord)Streams.Formats.Avro.Binary.AvroDatumReader.For(schema).Read(m.Value.AsSpan(5))!)[0]!)).ToList();
        ids.Should().HaveCount(5000);
        ids.Select(m => m.Id).Should().OnlyHaveUniqueItems();
        foreach (var key in ids.GroupBy(m => m.Key))
        {
            key.Select(m => m.Id).Should().BeInAscendingOrder("a key's records keep the file's order");
        }
    }

    [Fact]
    public async Task Messages_that_time_out_in_librdkafka_are_each_reported_undelivered_with_their_record()
    {
        // A partition without a leader takes nothing: librdkafka keeps the messages until message.timeout.ms, then fails
        // each through its delivery report, the only reports this producer asks for.
        _stack.Kafka.CreateTopic("leaderless", 1, 1);
        _stack.Kafka.SetPartitionLeader("leaderless", 0, -1);
        var file = Write("leaderless.jsonl", """
            {"id":1,"user":"ada"}
            {"id":2,"user":"bob"}
            {"id":3,"user":"cy"}
            """);
        var rejected = new List<RejectedRecord>();

        // Keyed, so that the partitioner picks the leaderless partition rather than refusing at once.
        var produced = await Producer("message.timeout.ms", "1500").ProduceAsync(Options("leaderless", file) with { KeyField = "user" },
            rejected.Add);

        produced.Records.Should().Be(0);
        produced.Bytes.Should().Be(0);
        produced.Failed.Should().Be(3);
        produced.FirstFailure.Should().Contain("timed out");
        rejected.Select(r => (r.Undelivered, r.Position)).Should().BeEquivalentTo(new[] { (true, "record 1"), (true, "record 2"), (true, "record 3") });
        rejected.Should().OnlyContain(r => r.File == file && r.Reason.Contains("timed out"));
    }

    [Fact]
    public async Task An_avro_file_of_the_produced_schema_goes_as_encoded_byte_for_byte_what_decoding_and_encoding_sends()
    {
        _stack.Kafka.CreateTopic("as-is", 3, 1);
        _stack.Kafka.CreateTopic("decoded", 3, 1);
        var schema = (RecordSchema)AvroSchemaParser.Parse(RichSchema);
        var records = Enumerable.Range(1, 3000).Select(i => RichRecord(schema, i)).ToList();
        var file = await WriteAvroAsync("rich.avro", schema, records, AvroCodec.Deflate);
        var schemaFile = Write("rich.avsc", RichSchema);

        var asIs = await Producer().ProduceAsync(new FileProduceOptions { Topic = "as-is", FilePath = file, SchemaFile = schemaFile },
            r => throw new InvalidOperationException(r.ToString()));
        // A key needs the field's value: that run decodes each record and encodes it again.
        var decoded = await Producer().ProduceAsync(
            new FileProduceOptions { Topic = "decoded", FilePath = file, SchemaFile = schemaFile, KeyField = "user" },
            r => throw new InvalidOperationException(r.ToString()));

        asIs.AvroPassthrough.Should().BeTrue();
        decoded.AvroPassthrough.Should().BeFalse();
        asIs.Records.Should().Be(3000);
        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, "as-is");
        var expected = records.Select(r => Convert.ToHexString(serializer.Serialize(r, context))).Order(StringComparer.Ordinal).ToList();
        Read("as-is", 3000).Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal).Should().Equal(expected);
        Read("decoded", 3000).Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal).Should().Equal(expected);
        asIs.Bytes.Should().Be(expected.Sum(e => e.Length / 2));
    }

    [Theory]
    [InlineData(Schema)] // flat: rows encoded from column vectors
    [InlineData(RichSchema)] // arrays, maps and booleans have no vectors: rows read as records
    public async Task A_parquet_file_sends_byte_for_byte_what_encoding_its_records_sends(string schemaText)
    {
        var schema = (RecordSchema)AvroSchemaParser.Parse(schemaText);
        var topic = $"parquet-{schema.Name.Name.ToLowerInvariant()}";
        _stack.Kafka.CreateTopic(topic, 3, 1);
        var records = Enumerable.Range(1, 6000).Select(i => schemaText == Schema
            ? new GenericRecord(schema, [(long)i, $"u{i % 300} é", i % 3 == 0 ? null : $"note {i % 7}"])
            : RichRecord(schema, i)).ToList();
        var file = Path.Combine(_directory, topic + ".parquet");
        // Several row groups: each is read while the one before it is encoded.
        await using (var stream = File.Create(file))
        await using (var writer = new Streams.Formats.Parquet.ParquetWriter(stream, schema,
            new Streams.Formats.Parquet.ParquetWriterOptions { RowGroupRows = 1000 }))
        {
            await writer.WriteAsync(records);
            await writer.CompleteAsync();
        }

        var produced = await Producer().ProduceAsync(
            new FileProduceOptions { Topic = topic, FilePath = file, SchemaFile = Write(topic + ".avsc", schemaText) },
            r => throw new InvalidOperationException(r.ToString()));

        produced.Records.Should().Be(6000);
        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, topic);
        var expected = records.Select(r => Convert.ToHexString(serializer.Serialize(r, context))).Order(StringComparer.Ordinal).ToList();
        Read(topic, 6000).Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal).Should().Equal(expected);
        produced.Bytes.Should().Be(expected.Sum(e => e.Length / 2));
    }

    [Fact]
    public async Task An_avro_file_of_another_writer_schema_is_decoded_and_encoded_in_the_produced_one()
    {
        _stack.Kafka.CreateTopic("resolved", 1, 1);
        // The same fields in another order: another canonical form, so other bytes for the same record.
        var writerJson = """
            {"type":"record","name":"Click","namespace":"test","fields":[
              {"name":"user","type":"string"},{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}
            """;
        var writer = (RecordSchema)AvroSchemaParser.Parse(writerJson);
        var file = await WriteAvroAsync("reordered.avro", writer,
            Enumerable.Range(1, 50).Select(i => new GenericRecord(writer, [$"u{i}", (long)i, i % 3 == 0 ? null : "n"])).ToList(), AvroCodec.Null);
        var rejected = new List<RejectedRecord>();

        var produced = await Producer().ProduceAsync(Options("resolved", file), rejected.Add);

        rejected.Should().BeEmpty();
        produced.AvroPassthrough.Should().BeFalse();
        var schema = (RecordSchema)AvroSchemaParser.Parse(Schema);
        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, "resolved");
        Read("resolved", 50).Select(m => Convert.ToHexString(m.Value)).Should().Equal(Enumerable.Range(1, 50).Select(i =>
            Convert.ToHexString(serializer.Serialize(new GenericRecord(schema, [(long)i, $"u{i}", i % 3 == 0 ? null : "n"]), context))));
    }

    [Fact]
    public async Task A_corrupt_avro_block_stops_the_pass_as_encoded_where_and_as_decoding_stops_it()
    {
        _stack.Kafka.CreateTopic("corrupt-as-is", 1, 1);
        _stack.Kafka.CreateTopic("corrupt-decoded", 1, 1);
        var schema = (RecordSchema)AvroSchemaParser.Parse(RichSchema);
        var file = await WriteAvroAsync("corrupt.avro", schema, Enumerable.Range(1, 600).Select(i => RichRecord(schema, i)).ToList(),
            AvroCodec.Null);
        // Invalid UTF-8 in the user of record 590: a string the decoding path refuses, in the last block.
        var bytes = await File.ReadAllBytesAsync(file);
        var at = bytes.AsSpan().LastIndexOf("user-590"u8);
        bytes[at] = 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        var schemaFile = Write("corrupt.avsc", RichSchema);
        var asIsRejected = new List<RejectedRecord>();
        var decodedRejected = new List<RejectedRecord>();

        var asIs = await Producer().ProduceAsync(new FileProduceOptions { Topic = "corrupt-as-is", FilePath = file, SchemaFile = schemaFile },
            asIsRejected.Add);
        var decoded = await Producer().ProduceAsync(
            new FileProduceOptions { Topic = "corrupt-decoded", FilePath = file, SchemaFile = schemaFile, KeyField = "user" }, decodedRejected.Add);

        asIs.AvroPassthrough.Should().BeTrue();
        decodedRejected.Should().ContainSingle().Which.Reason.Should().StartWith("reading stopped here: ").And.Contain("invalid UTF-8");
        asIsRejected.Should().Equal(decodedRejected);
        asIs.Records.Should().Be(decoded.Records).And.BeInRange(1, 589);
    }

    [Fact]
    public async Task Json_lines_without_a_key_go_transcoded_send_what_decoding_sends_and_confluents_deserializer_reads_them_back()
    {
        _stack.Kafka.CreateTopic("json-transcoded", 3, 1);
        _stack.Kafka.CreateTopic("json-decoded", 3, 1);
        var schema = (RecordSchema)AvroSchemaParser.Parse(FlatSchema);
        var expected = new List<GenericRecord>();
        var file = new MemoryStream();
        for (var i = 1; i <= 3000; i++)
        {
            file.Write(FlatLine(schema, i, expected) ?? BadFlatLine(i));
            file.Write(i % 500 == 0 ? "\n\n"u8 : "\n"u8); // a blank line now and then
        }

        var path = Path.Combine(_directory, "flat.jsonl");
        await File.WriteAllBytesAsync(path, file.ToArray());
        var schemaFile = Write("flat.avsc", FlatSchema);
        var transcodedRejected = new List<RejectedRecord>();
        var decodedRejected = new List<RejectedRecord>();

        var transcoded = await Producer().ProduceAsync(new FileProduceOptions { Topic = "json-transcoded", FilePath = path, SchemaFile = schemaFile },
            transcodedRejected.Add);
        // A key needs the field's value: that run decodes every line.
        var decoded = await Producer().ProduceAsync(
            new FileProduceOptions { Topic = "json-decoded", FilePath = path, SchemaFile = schemaFile, KeyField = "user" }, decodedRejected.Add);

        transcoded.Transcoded.Should().Be(expected.Count, "every good line is transcoded");
        decoded.Transcoded.Should().Be(0);
        transcoded.Records.Should().Be(expected.Count);
        decoded.Records.Should().Be(expected.Count);
        transcodedRejected.Should().Equal(decodedRejected);
        transcodedRejected.Select(r => r.Position).Should().Equal(BadFlatPositions(), "bad lines are named by their line, blank lines counted");
        transcodedRejected.Should().Contain(r => r.Reason.Contains("not valid UTF-8", StringComparison.Ordinal))
            .And.Contain(r => r.Reason.Contains("is missing", StringComparison.Ordinal));

        var serializer = new AvroSerializer(_stack.Registry, new AvroSerializerConfig { AutoRegisterSchemas = false });
        var context = new SerializationContext(MessageComponentType.Value, "json-transcoded");
        var values = Read("json-transcoded", expected.Count).Select(m => m.Value).ToList();
        values.Select(Convert.ToHexString).Order(StringComparer.Ordinal).Should().Equal(
            expected.Select(r => Convert.ToHexString(serializer.Serialize(r, context))).Order(StringComparer.Ordinal));
        Read("json-decoded", expected.Count).Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal)
            .Should().Equal(values.Select(Convert.ToHexString).Order(StringComparer.Ordinal));

        // Confluent's deserializer on Apache.Avro, through the registry's HTTP API, reads every value back.
        using var registry = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(
            new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = _stack.RegistryUrl });
        var deserializer = new ConfluentDeserializer(registry);
        var read = new List<string>();
        foreach (var value in values)
        {
            var record = await deserializer.DeserializeAsync(value, isNull: false, context);
            read.Add(string.Join("|", schema.Fields.Select(f => ApacheText(record[f.Name]))));
        }

        read.Order(StringComparer.Ordinal).Should().Equal(
            expected.Select(r => string.Join("|", r.Values.ToArray().Select(ApacheText))).Order(StringComparer.Ordinal));
    }

    private FileProducer Producer() => new(_stack.Clients, _stack.Registry);

    /// <summary>A producer whose librdkafka has <paramref name="property"/> set to <paramref name="value"/>.</summary>
    private FileProducer Producer(string property, string value) => new(
        new KafkaClientFactory(new KafkaOptions { BootstrapServers = _stack.Kafka.BootstrapServers, Properties = { [property] = value } }),
        _stack.Registry);

    private static GenericRecord RichRecord(RecordSchema schema, int i) => new(schema,
    [
        (long)i, $"user-{i}", i % 4 == 0 ? null : $"note é {i}", i % 3 == 0 ? "RED" : "BLUE",
        Enumerable.Range(0, i % 5).Select(n => (object?)(n * i)).ToList(),
        new Dictionary<string, object?> { ["a"] = (double)i / 3, ["b"] = -1.5 }, i % 2 == 0, (float)i / 7,
    ]);

    private async Task<string> WriteAvroAsync(string name, RecordSchema schema, List<GenericRecord> records, AvroCodec codec)
    {
        var path = Path.Combine(_directory, name);
        // Small blocks: the file holds many, as large files do.
        await using (var writer = AvroFileWriter.Create(path, schema, new AvroFileWriterOptions { Codec = codec, BlockSize = 4096 }))
        {
            foreach (var record in records)
            {
                await writer.WriteAsync(record);
            }
        }

        return path;
    }

    private FileProduceOptions Options(string topic, string file) =>
        new() { Topic = topic, FilePath = file, SchemaFile = Write(topic + ".avsc", Schema) };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private List<Message<byte[]?, byte[]>> Read(string topic, int count)
    {
        using var consumer = _stack.Clients.CreateConsumer<byte[]?, byte[]>("readers-" + topic);
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (messages.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result.Message);
            }
        }

        consumer.Close();
        return messages;
    }
}
