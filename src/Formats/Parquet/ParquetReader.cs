using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Formats.Parquet.Columns;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet;

/// <summary>
/// Reads a Parquet file from a seekable stream, one row group at a time: only the projected column
/// chunks of the current row group are in memory. Records follow the mapping of
/// <see cref="ParquetSchemaConverter"/>; the columnar <see cref="ReadColumnsAsync"/> skips record assembly.
/// </summary>
public sealed class ParquetReader : IAsyncDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>The footer key of the Avro schema the file was written from (parquet-avro's; <c>avro.schema</c> is also read).</summary>
    public const string AvroSchemaKey = "parquet.avro.schema";

    // Records are assembled in slices so that consumers see them while they are still young objects.
    private const int SliceRows = 4096;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    private ParquetReader(Stream stream, bool leaveOpen, string? fileName, FileMetaData metadata, ParquetSchema schema,
        RecordSchema recordSchema, IReadOnlyList<RecordFileWarning> warnings)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        FileName = fileName;
        Metadata = metadata;
        ParquetSchema = schema;
        Schema = recordSchema;
        Warnings = warnings;
    }

    /// <summary>The file name used in error messages.</summary>
    public string? FileName { get; }

    /// <summary>The decoded footer.</summary>
    public FileMetaData Metadata { get; }

    /// <summary>The Parquet schema tree.</summary>
    public ParquetSchema ParquetSchema { get; }

    /// <summary>The record schema of the file: the Avro schema it stores when that fits, else one derived from the Parquet types.</summary>
    public RecordSchema Schema { get; }

    /// <summary>
    /// What the reader read past while opening the file: a stored Avro schema that is corrupt
    /// (<see cref="RecordFileWarningCode.StoredSchemaUnreadable"/>) or does not fit the Parquet schema
    /// (<see cref="RecordFileWarningCode.StoredSchemaMismatch"/>), when <see cref="Schema"/> is the derived one.
    /// </summary>
    public IReadOnlyList<RecordFileWarning> Warnings { get; }

    /// <summary>The number of rows in the file.</summary>
    public long RowCount => Metadata.NumRows;

    /// <summary>Opens a file for reading.</summary>
    public static async Task<ParquetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        try
        {
            return await OpenAsync(stream, path, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the footer of a Parquet file held in a seekable <paramref name="stream"/>.</summary>
    /// <exception cref="ParquetException">The file is not Parquet, is truncated or its footer is corrupt.</exception>
    public static async Task<ParquetReader> OpenAsync(Stream stream, string? fileName = null, bool leaveOpen = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("Reading Parquet needs a seekable stream (the footer is at the end).", nameof(stream));
        }

        var length = stream.Length;
        if (length < 12)
        {
            throw new ParquetException($"The file is {length} bytes, too short for Parquet (is it truncated?).", fileName, offset: 0);
        }

        var head = new byte[4];
        await ReadAtAsync(stream, 0, head, cancellationToken).ConfigureAwait(false);
        var tail = new byte[8];
        await ReadAtAsync(stream, length - 8, tail, cancellationToken).ConfigureAwait(false);
        if (!head.AsSpan().SequenceEqual(Magic) || !tail.AsSpan(4).SequenceEqual(Magic))
        {
            throw new ParquetException("The file does not start and end with the Parquet magic 'PAR1' (is it truncated?).",
                fileName, offset: head.AsSpan().SequenceEqual(Magic) ? length - 4 : 0);
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        var footerStart = length - 8 - footerLength;
        if (footerLength <= 0 || footerStart < 4)
        {
            throw new ParquetException($"The footer length {footerLength} does not fit the file of {length} bytes.", fileName, offset: length - 8);
        }

        var footer = new byte[footerLength];
        await ReadAtAsync(stream, footerStart, footer, cancellationToken).ConfigureAwait(false);
        FileMetaData metadata;
        ParquetSchema schema;
        RecordSchema recordSchema;
        RecordFileWarning? warning;
        try
        {
            metadata = FileMetaData.Read(footer);
            if (metadata.IsEncrypted)
            {
                throw new ParquetException("Encrypted Parquet files are not supported.", fileName, offset: footerStart);
            }

            schema = ParquetSchema.FromElements(metadata.Schema);
            (var stored, warning) = StoredSchema(metadata, schema, fileName);
            recordSchema = stored ?? ParquetSchemaConverter.ToModel(schema);
        }
        catch (ThriftException e)
        {
            throw new ParquetException($"The footer is corrupt: {e.Message}", fileName, offset: footerStart + e.Offset, innerException: e);
        }
        catch (Exception e) when (e is FormatException or SchemaException)
        {
            throw new ParquetException($"The schema is invalid: {e.Message}", fileName, offset: footerStart, innerException: e);
        }

        foreach (var group in metadata.RowGroups)
        {
            if (group.Columns.Count != schema.Columns.Count)
            {
                throw new ParquetException(
                    $"A row group has {group.Columns.Count} column chunks but the schema has {schema.Columns.Count} columns.", fileName, offset: footerStart);
            }
        }

        return new ParquetReader(stream, leaveOpen, fileName, metadata, schema, recordSchema, warning is null ? [] : [warning]);
    }

    /// <summary>
    /// The Avro schema stored in the footer, when there is one that fits the Parquet schema; otherwise no schema and,
    /// when the footer holds one, a warning saying why it was set aside (a writer may have stored a schema it then
    /// did not follow, or a corrupt one): the derived schema used instead lacks its names, enum symbols and docs.
    /// </summary>
    private static (RecordSchema? Schema, RecordFileWarning? Warning) StoredSchema(FileMetaData metadata, ParquetSchema schema, string? fileName)
    {
        var stored = metadata.KeyValueMetadata?.FirstOrDefault(kv => kv.Key is AvroSchemaKey or "avro.schema");
        if (stored?.Value is not { } json)
        {
            return (null, null);
        }

        var where = $"{fileName ?? "The Parquet file"}: the Avro schema in its footer ('{stored.Key}')";
        const string Cost = "the schema is derived from the Parquet types instead, without the Avro record names, enum symbols, docs and defaults";
        Model.Schema parsed;
        try
        {
            parsed = AvroSchemaParser.Parse(json);
        }
        catch (Exception e) when (e is SchemaException or System.Text.Json.JsonException or FormatException)
        {
            return (null, new RecordFileWarning(RecordFileWarningCode.StoredSchemaUnreadable, $"{where} is not a valid Avro schema ({e.Message}); {Cost}."));
        }

        if (parsed is not RecordSchema record)
        {
            return (null, new RecordFileWarning(RecordFileWarningCode.StoredSchemaUnreadable,
                $"{where} is {parsed.DisplayName}, not a record; {Cost}."));
        }

        try
        {
            FieldBinder.Bind(record, schema);
            return (record, null);
        }
        catch (Exception e) when (e is SchemaException or FormatException)
        {
            return (null, new RecordFileWarning(RecordFileWarningCode.StoredSchemaMismatch,
                $"{where} does not fit the Parquet schema ({e.Message}); {Cost}."));
        }
    }

    /// <summary>
    /// Streams the records of the file, row group by row group. The column chunks of the next row group are
    /// read and decoded in the background while the records of the current one are consumed, so at most two
    /// row groups of the projected columns are in memory.
    /// </summary>
    public async IAsyncEnumerable<GenericRecord> ReadAsync(ParquetReadOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= ParquetReadOptions.Default;
        var schema = ResolveSchema(options);
        var binding = Bind(schema);
        var groups = Enumerable.Range(0, Metadata.RowGroups.Count)
            .Where(g => options.Filter is null || RowGroupStatistics.MayMatch(Metadata.RowGroups[g], binding, options.Filter, ParquetSchema))
            .ToList();
        Task<(RecordAssembler, int)>? next = groups.Count > 0 ? LoadRowGroupAsync(groups[0], binding, cancellationToken) : null;
        try
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var (assembler, rows) = await next!.ConfigureAwait(false);
                var following = i + 1 < groups.Count ? groups[i + 1] : -1;
                next = following < 0 ? null : Task.Run(() => LoadRowGroupAsync(following, binding, cancellationToken), cancellationToken);
                for (var done = 0; done < rows; done += SliceRows)
                {
                    foreach (var record in assembler.Assemble(Math.Min(SliceRows, rows - done)))
                    {
                        yield return record;
                    }
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // The consumer stopped early: let the background read finish before the stream may be closed.
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (Exception e) when (e is ParquetException or OperationCanceledException or IOException or ObjectDisposedException)
                {
                    // Its error concerns a row group nobody asked for any more.
                }
            }
        }
    }

    /// <summary>The indexes of the row groups that <paramref name="filter"/> does not rule out.</summary>
    public IReadOnlyList<int> SelectRowGroups(ParquetPredicate filter)
    {
        var binding = Bind(Schema);
        return Enumerable.Range(0, Metadata.RowGroups.Count)
            .Where(g => RowGroupStatistics.MayMatch(Metadata.RowGroups[g], binding, filter, ParquetSchema))
            .ToList();
    }

    /// <summary>Reads the records of one row group.</summary>
    public async Task<IReadOnlyList<GenericRecord>> ReadRowGroupAsync(int index, ParquetReadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var schema = ResolveSchema(options ?? ParquetReadOptions.Default);
        return await ReadRowGroupAsync(index, Bind(schema), cancellationToken).ConfigureAwait(false);
    }

    private async Task<GenericRecord[]> ReadRowGroupAsync(int index, FieldBinding binding, CancellationToken cancellationToken)
    {
        var (assembler, rows) = await LoadRowGroupAsync(index, binding, cancellationToken).ConfigureAwait(false);
        return assembler.Assemble(rows);
    }

    private async Task<(RecordAssembler Assembler, int Rows)> LoadRowGroupAsync(int index, FieldBinding binding, CancellationToken cancellationToken)
    {
        var group = Metadata.RowGroups[index];
        if (group.NumRows is > int.MaxValue or < 0)
        {
            throw new ParquetException($"Row group {index} claims {group.NumRows} rows.", FileName);
        }

        var columns = await ReadColumnsAsync(index, binding.Columns, cancellationToken).ConfigureAwait(false);
        return (new RecordAssembler(binding, columns, FileName, index), (int)group.NumRows);
    }

    /// <summary>
    /// Reads the named top-level fields of one row group as typed vectors, decoding only their columns; the records are
    /// read as <paramref name="schema"/> (the file's columns bound by name, as <see cref="ReadRowGroupAsync(int, ParquetReadOptions?, CancellationToken)"/>
    /// binds them). A field the file cannot give as a vector (nested, plain-encoded strings, values out of range) is null:
    /// read that row group as records then.
    /// </summary>
    public async Task<ColumnVector?[]> ReadColumnVectorsAsync(int rowGroup, RecordSchema schema, IReadOnlyList<string> fields,
        CancellationToken cancellationToken = default)
    {
        var binding = Bind(schema);
        var rows = Metadata.RowGroups[rowGroup].NumRows;
        var record = (RecordSchema)binding.Schema;
        var children = fields.Select(name => record.GetField(name) is { } field ? binding.Children[field.Position] : null).ToList();
        var result = new ColumnVector?[fields.Count];
        if (rows is > int.MaxValue or < 0)
        {
            return result;
        }

        var wanted = children.Where(c => c is { Columns.Length: 1 }).Select(c => c!.Columns[0]).Distinct().ToList();
        var columns = await ReadColumnsAsync(rowGroup, wanted, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < fields.Count; i++)
        {
            if (children[i] is { Columns.Length: 1 } child && columns[child.Columns[0]] is { } column)
            {
                result[i] = ColumnVectorReader.Read(child, column, (int)rows);
            }
        }

        return result;
    }

    /// <summary>
    /// Reads and decodes the given columns (indexes into <see cref="ParquetSchema"/>.Columns) of one row group;
    /// the result is indexed by column, with <c>null</c> for columns not asked for.
    /// </summary>
    public async Task<ColumnBuffer?[]> ReadColumnsAsync(int rowGroup, IReadOnlyList<int> columnIndexes, CancellationToken cancellationToken = default)
    {
        var group = Metadata.RowGroups[rowGroup];
        var result = new ColumnBuffer?[ParquetSchema.Columns.Count];
        foreach (var c in columnIndexes)
        {
            var leaf = ParquetSchema.Columns[c];
            var chunk = group.Columns[c];
            var meta = chunk.MetaData ?? throw new ParquetException("The column chunk has no metadata.", FileName, leaf.DottedPath);
            if (chunk.FilePath is not null)
            {
                throw new ParquetException($"The column chunk lives in another file ({chunk.FilePath}), which is not supported.", FileName, leaf.DottedPath);
            }

            var start = meta.DictionaryPageOffset is long d && d > 0 && d < meta.DataPageOffset ? d : meta.DataPageOffset;
            var length = meta.TotalCompressedSize;
            if (start < 4 || length < 0 || start + length > _stream.Length - 8)
            {
                throw new ParquetException(
                    $"The column chunk at {start} of {length} bytes lies outside the file's {_stream.Length} bytes (is it truncated?).",
                    FileName, leaf.DottedPath, start);
            }

            var bytes = new byte[length];
            await ReadAtAsync(_stream, start, bytes, cancellationToken).ConfigureAwait(false);
            var column = ColumnChunkReader.Read(bytes, start, meta, leaf, FileName);
            var expectedEntries = meta.NumValues;
            if (column.LevelCount != expectedEntries)
            {
                throw new ParquetException($"The column chunk decoded {column.LevelCount} values; its metadata says {expectedEntries}.",
                    FileName, leaf.DottedPath, start);
            }

            result[c] = column;
        }

        return result;
    }

    private FieldBinding Bind(RecordSchema schema)
    {
        try
        {
            return FieldBinder.Bind(schema, ParquetSchema);
        }
        catch (SchemaException e)
        {
            throw new ParquetException($"The records cannot be read as {schema.FullName}: {e.Message}", FileName, e.Path, innerException: e);
        }
    }

    private RecordSchema ResolveSchema(ParquetReadOptions options)
    {
        var schema = options.Schema ?? Schema;
        if (options.Columns is null)
        {
            return schema;
        }

        var fields = options.Columns.Select(name => schema.GetField(name)
                ?? throw new ArgumentException($"The file has no field '{name}'; it has {string.Join(", ", schema.Fields.Select(f => f.Name))}."))
            .Select(f => new Field(f.Name, f.Schema, f.Doc, f.HasDefault, f.Default, f.Order, f.Aliases, f.Properties));
        return new RecordSchema(schema.Name, fields, schema.Doc, schema.Aliases, schema.IsError, schema.Properties);
    }

    private static async Task ReadAtAsync(Stream stream, long offset, byte[] buffer, CancellationToken cancellationToken)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
