using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Confluent.Kafka;
using Streams.Formats;
using Streams.Formats.Avro;
using Streams.Formats.Avro.Files;
using Streams.Formats.Avro.Resolution;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Json;
using Streams.Formats.Avro.Binary;
using Streams.Formats.Parquet;
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

        var run = new Run(options, schema, schemaId, keyField, rejected, progress);
        var serializer = new AvroSerializer(_registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            Subject = options.EffectiveSubject,
            WireFormat = options.WireFormat,
            GlueZlib = options.GlueZlib,
        });
        // The settings kcat is measured with in bench/; an operator's own message.timeout.ms (Streams:Kafka:Properties) stands.
        var config = _clients.ProducerConfig();
        config.LingerMs = 5;
        config.MessageTimeoutMs ??= 30_000;
        WireProducer producer;
        try
        {
            producer = new WireProducer(config, options.Topic);
        }
        catch (KafkaException e)
        {
            throw new FileProduceException($"The producer could not start: {e.Error.Reason}", e);
        }

        using (producer)
        {
            // Reading and encoding on one thread, handing over to librdkafka on this one: the two halves cost about the same,
            // so on two cores they overlap. Batches carry what their records did (rejections, progress) to this thread, where
            // every callback runs.
            var batches = Channel.CreateBounded<EncodedBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // The file is read and encoded while the producer connects.
            var encoding = Task.Run(() => EncodeAsync(format, run, serializer, batches.Writer, stopReading.Token), CancellationToken.None);
            var connected = producer.Connect((int)BrokerTimeout.TotalMilliseconds);
            if (connected != ErrorCode.NoError)
            {
                await stopReading.CancelAsync();
                await DrainAsync(batches.Reader, encoding);
                throw new FileProduceException($"Kafka at {_clients.BootstrapServers} did not answer ({new Error(connected).Reason}): " +
                    "start `streams dev`, or set Streams:Kafka:BootstrapServers.");
            }

            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                {
                    using (batch)
                    {
                        await SendAsync(batch, producer, run, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (Ctrl-C): what was handed to the producer is still delivered below.
            }
            finally
            {
                await stopReading.CancelAsync();
                await DrainAsync(batches.Reader, encoding);
            }

            while (producer.Flush(1000) > 0 && run.Clock.Elapsed < run.LastHandOff + TimeSpan.FromSeconds(60))
            {
                run.Failed(producer.TakeFailures());
                run.Report(force: true);
            }

            // What is still not delivered will not be: each such message becomes a failure rather than going unmentioned.
            producer.Abandon();
            run.Failed(producer.TakeFailures());
            try
            {
                // A pass that could not open the file stops the run, as it would have before the first record.
                await encoding;
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
            }
        }

        run.Report(force: true);
        return new ProducedFile(options.Topic, options.EffectiveSubject, schemaId, run.Delivered, run.Bytes, run.Rejected, run.FailedCount,
            run.FirstFailure, run.Pass, run.Clock.Elapsed) { AvroPassthrough = run.Passthrough is true, Transcoded = run.Transcoded };
    }

    /// <summary>Discards the batches not sent once the encoder stopped: waits for it, keeping its failure (if not a cancellation) in the task.</summary>
    private static async Task DrainAsync(ChannelReader<EncodedBatch> batches, Task encoding)
    {
        while (!encoding.IsCompleted || batches.TryPeek(out _))
        {
            while (batches.TryRead(out var unsent))
            {
                unsent.Dispose();
            }

            await Task.WhenAny(encoding, batches.WaitToReadAsync().AsTask());
        }

        while (batches.TryRead(out var unsent))
        {
            unsent.Dispose();
        }
    }

    /// <summary>Reads and encodes every pass over the file into batches for <see cref="SendAsync"/>.</summary>
    private static async Task EncodeAsync(RecordFileFormat format, Run run, AvroSerializer serializer, ChannelWriter<EncodedBatch> output,
        CancellationToken cancellationToken)
    {
        try
        {
            var pass = 0;
            long read;
            do
            {
                pass++;
                read = await EncodeFileAsync(format, run, pass, serializer, output, cancellationToken);
            }
            while (run.Options.Repeat && !cancellationToken.IsCancellationRequested && read > 0);
        }
        finally
        {
            output.TryComplete();
        }
    }

    /// <summary>One pass over the file; returns the records read.</summary>
    private static async Task<long> EncodeFileAsync(RecordFileFormat format, Run run, int pass, AvroSerializer serializer,
        ChannelWriter<EncodedBatch> output, CancellationToken cancellationToken)
    {
        var path = run.Options.FilePath;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var length = Math.Max(1, stream.Length);
        var batch = new EncodedBatch(pass);
        var fileOptions = new RecordFileOptions
        {
            Schema = run.Schema,
            FileName = path,
            OnBadRecord = e => batch.Rejected.Add(new RejectedRecord(path, Position(e), Reason(e))),
        };
        if (run.Passthrough is not false && format is AvroRecordFileFormat)
        {
            AvroFileReader avro;
            try
            {
                avro = await AvroFileReader.OpenAsync(stream, run.Schema, path, leaveOpen: true, cancellationToken);
            }
            catch (Exception e) when (e is RecordFileException or SchemaResolutionException)
            {
                batch.Dispose();
                throw Unreadable(run, e);
            }

            await using (avro)
            {
                // A key needs a field's value decoded: those runs take the decoding path.
                run.Passthrough ??= run.KeyField is null && avro.IsEncodedAs(run.Schema);
                if (run.Passthrough is true)
                {
                    return await PassThroughAsync(avro, stream, batch, run, pass, serializer, output, cancellationToken);
                }
            }

            stream.Position = 0;
        }

        if (format is ParquetRecordFileFormat && run.KeyField is null)
        {
            ParquetReader parquet;
            try
            {
                parquet = await ParquetReader.OpenAsync(stream, path, leaveOpen: true, cancellationToken);
            }
            catch (ParquetException e)
            {
                batch.Dispose();
                throw Unreadable(run, e);
            }

            await using (parquet)
            {
                return await EncodeColumnsAsync(parquet, batch, run, pass, serializer, output, cancellationToken);
            }
        }

        IRecordReader reader;
        try
        {
            reader = await format.OpenReaderAsync(stream, fileOptions, cancellationToken);
        }
        catch (Exception e) when (e is RecordFileException or SchemaResolutionException or ArgumentException)
        {
            batch.Dispose();
            throw Unreadable(run, e);
        }

        var context = new SerializationContext(MessageComponentType.Value, run.Options.Topic);
        // A key needs a field's value decoded; without one, a reader that hands records over encoded (JSON lines) saves decoding.
        var encodedReader = run.KeyField is null ? reader as IEncodedRecordReader : null;
        long ordinal = 0;
        try
        {
            await using (reader)
            {
                while (true)
                {
                    IReadOnlyList<object?>? records = null;
                    EncodedRecordBatch? encoded = null;
                    try
                    {
                        if (encodedReader is not null)
                        {
                            encoded = await encodedReader.ReadEncodedBatchAsync(cancellationToken);
                        }
                        else
                        {
                            records = await reader.ReadBatchAsync(cancellationToken);
                        }
                    }
                    catch (RecordFileException e)
                    {
                        // The reader cannot go on past this point (a corrupt block, a broken header): say so, keep what went.
                        batch.Rejected.Add(StoppedReading(path, e));
                    }

                    if (records is null && encoded is null)
                    {
                        batch.Fraction = 1;
                        await output.WriteAsync(batch, cancellationToken);
                        batch = null;
                        return ordinal;
                    }

                    var count = encoded?.Count ?? records!.Count;
                    for (var i = 0; i < count; i++)
                    {
                        ordinal++;
                        try
                        {
                            if (encoded is not null && encoded.IsEncoded(i))
                            {
                                batch.AddEncoded(run.Schema, encoded.Encoded(i), ordinal, serializer, context);
                                run.Transcoded++;
                            }
                            else if ((encoded is not null ? encoded.Decoded(i) : records![i]) is GenericRecord record)
                            {
                                batch.Add(record, ordinal, serializer, context, run.KeyField);
                            }
                            else
                            {
                                batch.Rejected.Add(new RejectedRecord(path, $"record {ordinal}", "not a record"));
                            }
                        }
                        catch (SchemaSerdesException e)
                        {
                            batch.Rejected.Add(Unfit(path, ordinal, e));
                        }
                    }

                    batch.Fraction = (double)stream.Position / length;
                    await output.WriteAsync(batch, cancellationToken);
                    batch = new EncodedBatch(pass);
                }
            }
        }
        finally
        {
            batch?.Dispose();
        }
    }

    /// <summary>
    /// One pass over an Avro file written with the schema the records are produced with: each record's bytes go as they are
    /// behind the header, found by a pass that checks them as decoding would (<see cref="AvroFileReader.ReadEncodedBlockAsync"/>),
    /// so a corrupt block stops the pass where the decoding path stops. Returns the records read.
    /// </summary>
    private static async Task<long> PassThroughAsync(AvroFileReader reader, FileStream stream, EncodedBatch? batch, Run run, int pass,
        AvroSerializer serializer, ChannelWriter<EncodedBatch> output, CancellationToken cancellationToken)
    {
        var path = run.Options.FilePath;
        var length = Math.Max(1, stream.Length);
        var context = new SerializationContext(MessageComponentType.Value, run.Options.Topic);
        long ordinal = 0;
        try
        {
            while (true)
            {
                AvroEncodedBlock? block;
                try
                {
                    block = await reader.ReadEncodedBlockAsync(cancellationToken);
                }
                catch (RecordFileException e)
                {
                    batch!.Rejected.Add(StoppedReading(path, e));
                    block = null;
                }

                if (block is null)
                {
                    batch!.Fraction = 1;
                    await output.WriteAsync(batch, cancellationToken);
                    batch = null;
                    return ordinal;
                }

                for (var i = 0; i < block.Count; i++)
                {
                    ordinal++;
                    try
                    {
                        batch!.AddEncoded(run.Schema, block.Record(i), ordinal, serializer, context);
                    }
                    catch (SchemaSerdesException e)
                    {
                        batch!.Rejected.Add(Unfit(path, ordinal, e));
                    }
                }

                batch!.Fraction = (double)stream.Position / length;
                await output.WriteAsync(batch, cancellationToken);
                batch = new EncodedBatch(pass);
            }
        }
        finally
        {
            batch?.Dispose();
        }
    }

    /// <summary>
    /// One pass over a Parquet file: each row group's columns are read as typed vectors and its rows encoded from them
    /// (<see cref="ColumnVectorEncoder"/>), with no record per row; a row group the vectors cannot give exactly as
    /// its records (nested or plain-encoded columns, say) is read as records, as the decoding path reads it. Returns the
    /// rows read.
    /// </summary>
    private static async Task<long> EncodeColumnsAsync(ParquetReader reader, EncodedBatch? batch, Run run, int pass,
        AvroSerializer serializer, ChannelWriter<EncodedBatch> output, CancellationToken cancellationToken)
    {
        const int BatchRows = 4096;
        var path = run.Options.FilePath;
        var context = new SerializationContext(MessageComponentType.Value, run.Options.Topic);
        var fields = run.Schema.Fields.Select(f => f.Name).ToList();
        var groups = reader.Metadata.RowGroups.Count;
        using var datum = new ByteBuffer(256);
        long ordinal = 0;
        Task<ColumnVector?[]>? next = null;
        try
        {
            // The next row group is read while this one is encoded, as the record path reads ahead.
            next = groups > 0 ? reader.ReadColumnVectorsAsync(0, run.Schema, fields, cancellationToken) : null;
            for (var group = 0; group < groups; group++)
            {
                try
                {
                    var vectors = await next!;
                    next = null;
                    var encoder = ColumnVectorEncoder.TryCreate(run.Schema, vectors);
                    var records = encoder is null
                        ? await reader.ReadRowGroupAsync(group, new ParquetReadOptions { Schema = run.Schema }, cancellationToken)
                        : null;
                    // Only now: the reader reads one thing at a time.
                    var following = group + 1;
                    next = following < groups
                        ? Task.Run(() => reader.ReadColumnVectorsAsync(following, run.Schema, fields, cancellationToken), cancellationToken)
                        : null;
                    var rows = encoder?.Rows ?? records!.Count;
                    for (var row = 0; row < rows; row++)
                    {
                        ordinal++;
                        try
                        {
                            if (encoder is not null)
                            {
                                datum.Clear();
                                encoder.Encode(row, datum);
                                batch!.AddEncoded(run.Schema, datum.WrittenSpan, ordinal, serializer, context);
                            }
                            else
                            {
                                batch!.Add(records![row], ordinal, serializer, context, keyField: null);
                            }
                        }
                        catch (SchemaSerdesException e)
                        {
                            batch!.Rejected.Add(Unfit(path, ordinal, e));
                        }

                        if (batch!.Count == BatchRows)
                        {
                            batch.Fraction = (group + (double)(row + 1) / rows) / groups;
                            await output.WriteAsync(batch, cancellationToken);
                            batch = new EncodedBatch(pass);
                        }
                    }
                }
                catch (RecordFileException e)
                {
                    batch!.Rejected.Add(StoppedReading(path, e));
                    break;
                }
            }

            batch!.Fraction = 1;
            await output.WriteAsync(batch, cancellationToken);
            batch = null;
            return ordinal;
        }
        finally
        {
            batch?.Dispose();
            if (next is not null)
            {
                // Stopped early: the read ahead finishes before the file may be closed; its error concerns a row group not sent.
                try
                {
                    await next;
                }
                catch (Exception e) when (e is RecordFileException or OperationCanceledException or IOException or ObjectDisposedException)
                {
                }
            }
        }
    }

    /// <summary>Hands a batch's messages to librdkafka, at the pace <see cref="FileProduceOptions.Rate"/> asks for.</summary>
    private static async ValueTask SendAsync(EncodedBatch batch, WireProducer producer, Run run, CancellationToken cancellationToken)
    {
        run.Pass = batch.Pass;
        foreach (var rejected in batch.Rejected)
        {
            run.Reject(rejected);
        }

        if (run.Options.Rate is > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                await run.PaceAsync(cancellationToken);
                Send(batch, i, i + 1, producer, run);
                run.Report(force: false); // paced runs are slow: show progress by the record, not by the batch
            }
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            Send(batch, 0, batch.Count, producer, run);
        }

        producer.Poll(0);
        run.Failed(producer.TakeFailures());
        run.Report(force: false, fraction: batch.Fraction);
    }

    private static void Send(EncodedBatch batch, int from, int to, WireProducer producer, Run run)
    {
        var messages = CollectionsMarshal.AsSpan(batch.Messages)[from..to];
        var bytes = 0L;
        foreach (ref readonly var message in messages)
        {
            bytes += message.Size;
        }

        var refused = producer.ProduceBatch(batch.Bytes.WrittenSpan, messages, Run.Number(batch.Pass, 0));
        // Counted once for the batch: the clock is read once, not per message.
        run.HandedOff(messages.Length, bytes);
        run.Failed(refused);
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

    /// <summary>A record the schema does not take (or the registry refused): named and not sent.</summary>
    private static RejectedRecord Unfit(string path, long ordinal, SchemaSerdesException e) =>
        new(path, $"record {ordinal}", e.InnerException?.Message ?? e.Message);

    /// <summary>Where a reader could not go on: what was read before it went.</summary>
    private static RejectedRecord StoppedReading(string path, RecordFileException e) => new(path, Position(e), "reading stopped here: " + Reason(e));

    private static FileProduceException Unreadable(Run run, Exception e) =>
        new($"{run.Options.FilePath} cannot be read as schema {run.SchemaId} of '{run.Options.EffectiveSubject}': {e.Message}", e);

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

    /// <summary>The state of one call: counters, pacing and progress. Used on the caller's thread only, but for what the encoder reads.</summary>
    private sealed class Run(FileProduceOptions options, RecordSchema schema, int schemaId, Field? keyField,
        Action<RejectedRecord> rejected, Action<ProduceProgress>? progress)
    {
        private const int OrdinalBits = 40;
        private long _handedOff;
        private long _handedOffBytes;
        private long _failed;
        private long _failedBytes;
        private long _paced;
        private TimeSpan? _lastReport;
        private double _fraction;

        public FileProduceOptions Options => options;

        public RecordSchema Schema => schema;

        public int SchemaId => schemaId;

        public Field? KeyField => keyField;

        /// <summary>Whether an Avro file's records go as they are encoded (<see cref="PassThroughAsync"/>); null until known.</summary>
        public bool? Passthrough { get; set; }

        /// <summary>Records added as the reader encoded them (<see cref="IEncodedRecordReader"/>); counted by the encoder.</summary>
        public long Transcoded { get; set; }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public TimeSpan LastHandOff { get; private set; }

        public int Pass { get; set; }

        public long Rejected { get; private set; }

        /// <summary>Handed over and not reported undelivered: after the final flush, what the broker acknowledged.</summary>
        public long Delivered => _handedOff - _failed;

        public long Bytes => _handedOffBytes - _failedBytes;

        public long FailedCount => _failed;

        public string? FirstFailure { get; private set; }

        /// <summary>The number a message carries through librdkafka: its pass and its ordinal in the file.</summary>
        public static long Number(int pass, long ordinal) => ((long)pass << OrdinalBits) | ordinal;

        public void Reject(RejectedRecord record)
        {
            Rejected++;
            rejected(record);
        }

        public void HandedOff(int messages, long bytes)
        {
            _handedOff += messages;
            _handedOffBytes += bytes;
            LastHandOff = Clock.Elapsed;
        }

        public void Failed(List<UndeliveredMessage> failures)
        {
            foreach (var failure in failures)
            {
                _failed++;
                _failedBytes += failure.Size;
                FirstFailure ??= failure.Reason;
                var pass = (int)(failure.Number >> OrdinalBits);
                var ordinal = failure.Number & ((1L << OrdinalBits) - 1);
                rejected(new RejectedRecord(options.FilePath, pass > 1 ? $"record {ordinal} (pass {pass})" : $"record {ordinal}",
                    "not delivered: " + failure.Reason) { Undelivered = true });
            }
        }

        public async ValueTask PaceAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _paced++;
            if (options.Rate is not { } rate || rate <= 0)
            {
                return;
            }

            var due = TimeSpan.FromSeconds((_paced - 1) / rate);
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
