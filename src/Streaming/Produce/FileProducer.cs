using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Formats;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Json;
using Streams.Formats.Model;
using Streams.Registry;
using Streams.Registry.Client;
using Streams.Registry.Serdes;
using Streams.Streaming.Kafka;

namespace Streams.Streaming.Produce;

/// <summary>
/// Sends the records of a file to a topic, each value in Confluent's wire format through the registry
/// (<see cref="AvroSerializer"/>). A record that does not fit the schema is reported and not sent; the rest go.
/// Problems that stop everything (unreadable schema, unknown subject, unreachable broker, a refused topic name)
/// are <see cref="FileProduceException"/>s raised before anything is sent.
/// </summary>
public sealed class FileProducer
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
    private readonly KafkaClientFactory _clients;
    private readonly ISchemaRegistryClient _registry;

    /// <summary>A producer over <paramref name="clients"/>' Kafka and <paramref name="registry"/>.</summary>
    public FileProducer(KafkaClientFactory clients, ISchemaRegistryClient registry)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(registry);
        _clients = clients;
        _registry = registry;
    }

    /// <summary>Sends the file; <paramref name="rejected"/> hears of each record not sent, <paramref name="progress"/> of the count now and then.</summary>
    /// <exception cref="FileProduceException">Nothing could be sent; the message names the fix.</exception>
    public async Task<ProducedFile> ProduceAsync(FileProduceOptions options, Action<RejectedRecord> rejected,
        Action<ProduceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rejected);
        try
        {
            TopicManager.ValidateName(options.Topic);
        }
        catch (TopicException e)
        {
            throw new FileProduceException(e.Message, e);
        }

        if (!File.Exists(options.FilePath))
        {
            throw new FileProduceException($"{options.FilePath}: no such file.");
        }

        RecordFileFormat format;
        try
        {
            format = RecordFiles.GetFormat(options.FilePath);
        }
        catch (NotSupportedException e)
        {
            throw new FileProduceException(e.Message, e);
        }

        var (schema, schemaId) = await ResolveSchemaAsync(options, format, cancellationToken);
        var keyField = KeyField(options, schema);
        CheckBroker();

        var run = new Run(options, schema, schemaId, keyField, rejected, progress);
        var serializer = new AvroSerializer(_registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            WireFormat = options.WireFormat,
            GlueZlib = options.GlueZlib,
        });
        using var producer = _clients.CreateProducer<byte[]?, byte[]>(config =>
        {
            config.LingerMs = 5;
            config.MessageTimeoutMs = 30_000;
            // Delivery reports carry only the status: copying every key and value back from librdkafka costs time.
            config.DeliveryReportFields = "status";
        });
        var context = new SerializationContext(MessageComponentType.Value, options.Topic);
        try
        {
            do
            {
                run.Pass++;
                await SendFileAsync(format, run, serializer, producer, context, cancellationToken);
            }
            while (options.Repeat && !cancellationToken.IsCancellationRequested && run.Read > 0);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl-C): what was handed to the producer is still delivered below.
        }

        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0 && run.Clock.Elapsed < run.LastHandOff + TimeSpan.FromSeconds(60))
        {
            run.Report(force: true);
        }

        run.Report(force: true);
        return new ProducedFile(options.Topic, options.EffectiveSubject, schemaId, run.Delivered, run.Bytes, run.Rejected, run.Failed,
            run.FirstFailure, run.Pass, run.Clock.Elapsed);
    }

    private async Task SendFileAsync(RecordFileFormat format, Run run, AvroSerializer serializer, IProducer<byte[]?, byte[]> producer,
        SerializationContext context, CancellationToken cancellationToken)
    {
        var path = run.Options.FilePath;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var length = Math.Max(1, stream.Length);
        var fileOptions = new RecordFileOptions
        {
            Schema = run.Schema,
            FileName = path,
            OnBadRecord = e => run.Reject(new RejectedRecord(path, Position(e), Reason(e))),
        };
        IRecordReader reader;
        try
        {
            reader = await format.OpenReaderAsync(stream, fileOptions, cancellationToken);
        }
        catch (Exception e) when (e is RecordFileException or SchemaResolutionException or ArgumentException)
        {
            throw new FileProduceException($"{path} cannot be read as schema {run.SchemaId} of '{run.Options.EffectiveSubject}': {e.Message}", e);
        }

        await using (reader)
        {
            long ordinal = 0;
            while (true)
            {
                IReadOnlyList<object?>? batch;
                try
                {
                    batch = await reader.ReadBatchAsync(cancellationToken);
                }
                catch (RecordFileException e)
                {
                    // The reader cannot go on past this point (a corrupt block, a broken header): say so, keep what went.
                    run.Reject(new RejectedRecord(path, Position(e), "reading stopped here: " + Reason(e)));
                    return;
                }

                if (batch is null)
                {
                    return;
                }

                foreach (var item in batch)
                {
                    ordinal++;
                    run.Read++;
                    if (item is not GenericRecord record)
                    {
                        run.Reject(new RejectedRecord(path, $"record {ordinal}", "not a record"));
                        continue;
                    }

                    byte[] value;
                    try
                    {
                        value = serializer.Serialize(record, context);
                    }
                    catch (SchemaSerdesException e)
                    {
                        run.Reject(new RejectedRecord(path, $"record {ordinal}", e.InnerException?.Message ?? e.Message));
                        continue;
                    }

                    await run.PaceAsync(cancellationToken);
                    Send(producer, run, new Message<byte[]?, byte[]> { Key = run.KeyOf(record), Value = value });
                    run.Report(force: false, fraction: (double)stream.Position / length);
                }
            }
        }
    }

    private static void Send(IProducer<byte[]?, byte[]> producer, Run run, Message<byte[]?, byte[]> message)
    {
        var size = (message.Key?.Length ?? 0) + message.Value.Length;
        while (true)
        {
            try
            {
                producer.Produce(run.Options.Topic, message, report => run.OnDelivery(report, size));
                run.LastHandOff = run.Clock.Elapsed;
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private async Task<(RecordSchema Schema, int Id)> ResolveSchemaAsync(FileProduceOptions options, RecordFileFormat format,
        CancellationToken cancellationToken)
    {
        var subject = options.EffectiveSubject;
        try
        {
            if (options.SchemaFile is { } schemaFile)
            {
                var schema = ParseRecordSchema(await ReadSchemaFileAsync(schemaFile, cancellationToken), schemaFile);
                return (schema, await IdOfAsync(subject, schema, options.AutoRegister, cancellationToken));
            }

            RegisteredSchema latest;
            try
            {
                latest = await _registry.GetLatestSchemaAsync(subject, cancellationToken);
            }
            catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.SubjectNotFound && format.StoresSchema && options.AutoRegister)
            {
                // An Avro or Parquet file brings its own schema: register that, as a serializer would.
                var schema = await FileSchemaAsync(options.FilePath, format, cancellationToken);
                return (schema, await IdOfAsync(subject, schema, register: true, cancellationToken));
            }
            catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.SubjectNotFound)
            {
                throw new FileProduceException(
                    $"The registry has no subject '{subject}': give --schema FILE.avsc (registered under it automatically), " +
                    $"name another with --subject, or register one with `streams registry register {subject} FILE.avsc`.", e);
            }

            if (latest.SchemaType != SchemaTypes.Avro)
            {
                throw new FileProduceException($"Subject '{subject}' holds a {latest.SchemaType} schema; streams produce writes Avro.");
            }

            var parsed = ParseRecordSchema(latest.Schema, $"subject '{subject}' version {latest.Version}");
            // Look the parsed schema up once so that the serializer's look-ups hit the client's cache.
            await IdOfAsync(subject, parsed, register: false, cancellationToken);
            return (parsed, latest.Id);
        }
        catch (SchemaRegistryException e)
        {
            throw new FileProduceException($"The registry refused subject '{subject}': {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new FileProduceException($"The registry could not be reached ({e.Message}): start `streams dev`, or pass --registry URL.", e);
        }
    }

    private async Task<int> IdOfAsync(string subject, RecordSchema schema, bool register, CancellationToken cancellationToken)
    {
        var submission = new SchemaSubmission(AvroSchemaWriter.ToJson(schema));
        try
        {
            return register
                ? await _registry.RegisterSchemaAsync(subject, submission, cancellationToken: cancellationToken)
                : (await _registry.LookUpSchemaAsync(subject, submission, cancellationToken: cancellationToken)).Id;
        }
        catch (SchemaRegistryException e) when (!register && e.ErrorCode is RegistryErrorCodes.SubjectNotFound or RegistryErrorCodes.SchemaNotFound)
        {
            throw new FileProduceException(
                $"The schema is not registered under subject '{subject}' ({e.Message}); register it, or leave out --no-register.", e);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == RegistryErrorCodes.IncompatibleSchema)
        {
            throw new FileProduceException($"The registry refused the schema under subject '{subject}' as incompatible: {e.Message}", e);
        }
    }

    private static async Task<RecordSchema> FileSchemaAsync(string path, RecordFileFormat format, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        try
        {
            await using var reader = await format.OpenReaderAsync(stream, new RecordFileOptions { FileName = path }, cancellationToken);
            return reader.Schema as RecordSchema
                ?? throw new FileProduceException($"{path} holds {reader.Schema.DisplayName} values; Kafka values from files must be records.");
        }
        catch (RecordFileException e)
        {
            throw new FileProduceException(e.Message, e);
        }
    }

    private static async Task<string> ReadSchemaFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileProduceException($"{path}: {e.Message}", e);
        }
    }

    private static RecordSchema ParseRecordSchema(string json, string source)
    {
        Schema schema;
        try
        {
            schema = AvroSchemaParser.Parse(json);
        }
        catch (Exception e) when (e is SchemaException or System.Text.Json.JsonException)
        {
            throw new FileProduceException($"{source} is not a valid Avro schema: {e.Message}", e);
        }

        return schema as RecordSchema ?? throw new FileProduceException($"{source} is {schema.DisplayName}, not a record schema.");
    }

    private static Field? KeyField(FileProduceOptions options, RecordSchema schema)
    {
        if (options.KeyField is not { } name)
        {
            return null;
        }

        return schema.Fields.FirstOrDefault(f => f.Name == name) ?? throw new FileProduceException(
            $"--key {name}: the schema {schema.FullName} has no such field (it has {string.Join(", ", schema.Fields.Select(f => f.Name))}).");
    }

    private void CheckBroker()
    {
        try
        {
            using var admin = _clients.CreateAdminClient();
            admin.GetMetadata(BrokerTimeout);
        }
        catch (KafkaException e)
        {
            throw new FileProduceException(
                $"Kafka at {_clients.BootstrapServers} did not answer ({e.Error.Reason}): start `streams dev`, or set Streams:Kafka:BootstrapServers.", e);
        }
    }

    private static string Position(RecordFileException e) => e switch
    {
        JsonLinesException j => $"line {j.Line.ToString(CultureInfo.InvariantCulture)}",
        Formats.Csv.CsvFormatException c => $"row {c.Row.ToString(CultureInfo.InvariantCulture)}",
        _ => "",
    };

    private static string Reason(RecordFileException e) => e switch
    {
        JsonLinesException j => j.Path.Length > 0 ? $"{j.Path}: {j.Reason}" : j.Reason,
        Formats.Csv.CsvFormatException c => c.Detail + (c.ColumnName is { } column ? $" (column '{column}')" : ""),
        _ => e.Message,
    };

    /// <summary>The state of one call: counters, pacing and progress.</summary>
    private sealed class Run(FileProduceOptions options, RecordSchema schema, int schemaId, Field? keyField,
        Action<RejectedRecord> rejected, Action<ProduceProgress>? progress)
    {
        private readonly Lock _lock = new();
        private long _delivered;
        private long _bytes;
        private long _failed;
        private long _handedOff;
        private TimeSpan? _lastReport;
        private double _fraction;

        public FileProduceOptions Options => options;

        public RecordSchema Schema => schema;

        public int SchemaId => schemaId;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public TimeSpan LastHandOff { get; set; }

        public int Pass { get; set; }

        public long Read { get; set; }

        public long Rejected { get; private set; }

        public long Delivered => Interlocked.Read(ref _delivered);

        public long Bytes => Interlocked.Read(ref _bytes);

        public long Failed => Interlocked.Read(ref _failed);

        public string? FirstFailure { get; private set; }

        public void Reject(RejectedRecord record)
        {
            Rejected++;
            rejected(record);
        }

        public void OnDelivery(DeliveryReport<byte[]?, byte[]> report, int size)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _failed);
                lock (_lock)
                {
                    FirstFailure ??= report.Error.Reason;
                }
            }
            else
            {
                Interlocked.Increment(ref _delivered);
                Interlocked.Add(ref _bytes, size);
            }
        }

        public byte[]? KeyOf(GenericRecord record)
        {
            if (keyField is null || record[keyField.Position] is not { } value)
            {
                return null;
            }

            return Encoding.UTF8.GetBytes(value is string text ? text : JsonLinesWriter.ToJson(keyField.Schema, value));
        }

        public async ValueTask PaceAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _handedOff++;
            if (options.Rate is not { } rate || rate <= 0)
            {
                return;
            }

            var due = TimeSpan.FromSeconds((_handedOff - 1) / rate);
            var ahead = due - Clock.Elapsed;
            if (ahead > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(ahead, cancellationToken);
            }
        }

        public void Report(bool force, double? fraction = null)
        {
            if (fraction is { } f)
            {
                _fraction = f;
            }

            var now = Clock.Elapsed;
            if (progress is null || (!force && _lastReport is { } last && now - last < ProgressInterval))
            {
                return;
            }

            _lastReport = now;
            progress(new ProduceProgress(Delivered, Rejected, Bytes, Math.Max(1, Pass), _fraction));
        }
    }
}
