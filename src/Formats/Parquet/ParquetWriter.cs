using System.Buffers;
using System.Buffers.Binary;
using Streams.Formats.Avro.Schemas;
using Streams.Formats.Model;
using Streams.Formats.Parquet.Columns;
using Streams.Formats.Parquet.Metadata;
using Streams.Formats.Parquet.Schema;
using Streams.Formats.Parquet.Thrift;

namespace Streams.Formats.Parquet;

/// <summary>
/// Writes a Parquet file of one <see cref="RecordSchema"/>, by records or by columns. The columnar path,
/// <see cref="WriteRowGroupAsync"/>, takes one <see cref="ColumnBuffer"/> per leaf column (primitive values
/// with definition and repetition levels, as <see cref="CreateColumnBuffers"/> makes them) and encodes them as
/// a row group. The record path shreds records into such buffers and writes them through the same path when
/// they reach <see cref="ParquetWriterOptions.RowGroupSize"/> or <see cref="ParquetWriterOptions.RowGroupRows"/>,
/// so memory stays bounded. <see cref="CompleteAsync"/> (or disposal) writes the footer. The stream need not be
/// seekable.
/// </summary>
public sealed class ParquetWriter : IAsyncDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ParquetWriterOptions _options;
    private readonly ParquetSchema _parquetSchema;
    private readonly ColumnBuffer[] _columns;
    private readonly RecordShredder _shredder;
    private readonly ColumnChunkWriter _chunkWriter;
    private readonly ArrayBufferWriter<byte> _chunkBuffer = new();
    private readonly List<RowGroup> _rowGroups = [];
    private readonly (int Levels, int Values, int Bytes)[] _marks;
    private long _position;
    private long _totalRows;
    private int _bufferedRows;
    private bool _completed;

    /// <summary>Creates a writer of <paramref name="schema"/> records onto <paramref name="stream"/>.</summary>
    /// <exception cref="SchemaException">The schema cannot be stored in Parquet.</exception>
    public ParquetWriter(Stream stream, RecordSchema schema, ParquetWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _options = options ?? ParquetWriterOptions.Default;
        _options.Validate();
        _stream = stream;
        _leaveOpen = leaveOpen;
        Schema = schema;
        _parquetSchema = ParquetSchema.FromElements(ParquetSchemaConverter.ToParquet(schema, _options.Schema));
        var binding = FieldBinder.Bind(schema, _parquetSchema);
        _columns = CreateColumnBuffers();
        _marks = new (int, int, int)[_columns.Length];
        _shredder = new RecordShredder(binding, _columns);
        _chunkWriter = new ColumnChunkWriter(_options);
    }

    /// <summary>The schema of the records written.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The Parquet schema the file gets.</summary>
    public ParquetSchema ParquetSchema => _parquetSchema;

    /// <summary>The number of rows accepted so far.</summary>
    public long RowCount => _totalRows + _bufferedRows;

    /// <summary>Adds a record; writes a row group when the buffered data reaches the configured size.</summary>
    /// <exception cref="ParquetException">A value does not fit its field (the record is not written).</exception>
    public ValueTask WriteAsync(GenericRecord record, CancellationToken cancellationToken = default)
    {
        Add(record);
        return _bufferedRows >= _options.RowGroupRows || (_bufferedRows & 1023) == 0 && BufferedSize() >= _options.RowGroupSize
            ? new ValueTask(FlushRowGroupAsync(cancellationToken))
            : ValueTask.CompletedTask;
    }

    /// <summary>Adds records; writes row groups as the buffered data reaches the configured size.</summary>
    public async Task WriteAsync(IEnumerable<GenericRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            await WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Add(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (record.Schema.Fields.Count != Schema.Fields.Count)
        {
            throw new ParquetException(
                $"Record {record.Schema.FullName} has {record.Schema.Fields.Count} fields; the writer's schema {Schema.FullName} has {Schema.Fields.Count}.");
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            _marks[i] = (_columns[i].LevelCount, _columns[i].ValueCount, _columns[i].ByteCount);
        }

        try
        {
            _shredder.Shred(record);
        }
        catch
        {
            // Roll back the partial record so the buffered columns stay aligned.
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i].Truncate(_marks[i].Levels, _marks[i].Values, _marks[i].Bytes);
            }

            throw;
        }

        _bufferedRows++;
    }

    private long BufferedSize()
    {
        long size = 0;
        foreach (var column in _columns)
        {
            size += column.EstimatedSize;
        }

        return size;
    }

    /// <summary>Writes the buffered rows as a row group now (nothing when none are buffered).</summary>
    public async Task FlushRowGroupAsync(CancellationToken cancellationToken = default)
    {
        if (_bufferedRows == 0)
        {
            return;
        }

        await WriteColumnsAsync(_columns, _bufferedRows, cancellationToken).ConfigureAwait(false);
        foreach (var column in _columns)
        {
            column.Clear();
        }

        _bufferedRows = 0;
    }

    /// <summary>
    /// Empty buffers for this writer's leaf columns, in file order, with the physical type and maximum levels
    /// <see cref="WriteRowGroupAsync"/> expects. Fill them (values in the typed arrays, one definition level per
    /// entry when the column is optional or nested) and reuse them after each row group.
    /// </summary>
    public ColumnBuffer[] CreateColumnBuffers() => _parquetSchema.Columns
        .Select(c => new ColumnBuffer(c.PhysicalType, c.Element.TypeLength ?? 0, c.MaxDefinitionLevel, c.MaxRepetitionLevel))
        .ToArray();

    /// <summary>
    /// The columnar path: writes <paramref name="columns"/> (one per leaf, in <see cref="ParquetSchema"/> column
    /// order) as one row group of <paramref name="rowCount"/> rows, without building records. Values are the
    /// physical ones (timestamps as their unit since the epoch, decimals unscaled, strings as UTF-8). Rows
    /// buffered by the record path are written first, as their own row group. The buffers are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer does not match its column, or the columns disagree on the row count.</exception>
    public async Task WriteRowGroupAsync(IReadOnlyList<ColumnBuffer> columns, int rowCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ObjectDisposedException.ThrowIf(_completed, this);
        Validate(columns, rowCount);
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        if (rowCount > 0)
        {
            await WriteColumnsAsync(columns, rowCount, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Validate(IReadOnlyList<ColumnBuffer> columns, int rowCount)
    {
        if (columns.Count != _parquetSchema.Columns.Count)
        {
            throw new ArgumentException($"The file has {_parquetSchema.Columns.Count} leaf columns; {columns.Count} buffers were given.", nameof(columns));
        }

        for (var i = 0; i < columns.Count; i++)
        {
            var (column, leaf) = (columns[i], _parquetSchema.Columns[i]);
            string? problem = null;
            if (column.Type != leaf.PhysicalType || column.MaxDefinitionLevel != leaf.MaxDefinitionLevel || column.MaxRepetitionLevel != leaf.MaxRepetitionLevel
                || (leaf.PhysicalType == PhysicalType.FixedLenByteArray && column.TypeLength != leaf.Element.TypeLength))
            {
                problem = $"is {column.Type} with levels {column.MaxDefinitionLevel}/{column.MaxRepetitionLevel}; the column is {leaf.PhysicalType} with levels {leaf.MaxDefinitionLevel}/{leaf.MaxRepetitionLevel} (use CreateColumnBuffers)";
            }
            else
            {
                var rows = column.MaxRepetitionLevel == 0 ? column.LevelCount : column.RepetitionLevels.AsSpan(0, column.LevelCount).Count((byte)0);
                var values = column.MaxDefinitionLevel == 0 ? column.LevelCount : column.DefinitionLevels.AsSpan(0, column.LevelCount).Count((byte)column.MaxDefinitionLevel);
                if (rows != rowCount)
                {
                    problem = $"holds {rows} rows, not {rowCount}";
                }
                else if (values != column.ValueCount)
                {
                    problem = $"holds {column.ValueCount} values, but its definition levels announce {values}";
                }
            }

            if (problem is not null)
            {
                throw new ArgumentException($"The buffer of column '{leaf.DottedPath}' {problem}.", nameof(columns));
            }
        }
    }

    private async Task WriteColumnsAsync(IReadOnlyList<ColumnBuffer> columns, int rowCount, CancellationToken cancellationToken)
    {
        await EnsureHeaderAsync(cancellationToken).ConfigureAwait(false);
        var start = _position;
        var chunks = new List<ColumnChunk>(columns.Count);
        long uncompressed = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            _chunkBuffer.ResetWrittenCount();
            var chunk = _chunkWriter.Write(columns[i], _parquetSchema.Columns[i], _chunkBuffer, _position);
            await _stream.WriteAsync(_chunkBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _position += _chunkBuffer.WrittenCount;
            uncompressed += chunk.MetaData!.TotalUncompressedSize;
            chunks.Add(chunk);
        }

        _rowGroups.Add(new RowGroup
        {
            Columns = chunks, NumRows = rowCount, TotalByteSize = uncompressed, FileOffset = start,
            TotalCompressedSize = _position - start, Ordinal = (short)Math.Min(_rowGroups.Count, short.MaxValue),
        });
        _totalRows += rowCount;
    }

    private async Task EnsureHeaderAsync(CancellationToken cancellationToken)
    {
        if (_position == 0)
        {
            await _stream.WriteAsync(Magic, cancellationToken).ConfigureAwait(false);
            _position = Magic.Length;
        }
    }

    /// <summary>Writes the remaining rows and the footer. The writer accepts no records afterwards.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        await EnsureHeaderAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        var footer = new FileMetaData
        {
            Version = _options.DataPageVersion == 2 ? 2 : 1,
            Schema = _parquetSchema.Elements,
            NumRows = _totalRows,
            RowGroups = _rowGroups,
            KeyValueMetadata = KeyValues(),
            CreatedBy = _options.CreatedBy,
            HasColumnOrders = true,
        };
        var buffer = new ArrayBufferWriter<byte>();
        footer.Write(new ThriftCompactWriter(buffer));
        var length = buffer.WrittenCount;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
        buffer.Write(Magic);
        await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _position += buffer.WrittenCount;
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private List<KeyValue> KeyValues()
    {
        var entries = new List<KeyValue>();
        if (_options.StoreAvroSchema)
        {
            // The record schema as Avro JSON (the key parquet-avro uses), so readers get names, enum symbols
            // and docs back that the Parquet schema cannot hold.
            entries.Add(new KeyValue(ParquetReader.AvroSchemaKey, AvroSchemaWriter.ToJson(Schema)));
        }

        entries.AddRange((_options.Metadata ?? new Dictionary<string, string>()).Select(kv => new KeyValue(kv.Key, kv.Value)));
        return entries;
    }

    /// <summary>Completes the file (if not done) and closes the stream unless asked to leave it open.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
