using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines;

/// <summary>
/// Records that share one schema, the unit every transform works on: transforms resolve field
/// positions and compile expressions once per schema, then run over the batch. Each record may carry
/// the source position it was read from, so a failure can name it.
/// </summary>
public sealed class RecordBatch
{
    /// <summary>Creates a batch; <paramref name="positions"/>, when given, has one entry per record.</summary>
    public RecordBatch(RecordSchema schema, IReadOnlyList<GenericRecord> records, IReadOnlyList<SourcePosition?>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(records);
        if (positions is not null && positions.Count != records.Count)
        {
            throw new ArgumentException($"A batch of {records.Count} records was given {positions.Count} positions.", nameof(positions));
        }

        Schema = schema;
        _records = records;
        Positions = positions;
        Count = records.Count;
    }

    /// <summary>A batch of rows held as column vectors; its <see cref="Records"/> are read with <see cref="MaterializeAsync"/>.</summary>
    public RecordBatch(ColumnarBatch columnar)
    {
        ArgumentNullException.ThrowIfNull(columnar);
        Schema = columnar.Schema;
        Columnar = columnar;
        Count = columnar.Count;
    }

    private readonly IReadOnlyList<GenericRecord>? _records;

    /// <summary>The schema of every record.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The records.</summary>
    /// <exception cref="InvalidOperationException">The batch is columnar: read its records with <see cref="MaterializeAsync"/>.</exception>
    public IReadOnlyList<GenericRecord> Records => _records
        ?? throw new InvalidOperationException("The batch holds column vectors; read its records with MaterializeAsync.");

    /// <summary>The rows as column vectors, when the batch was read that way; null for a batch of records.</summary>
    public ColumnarBatch? Columnar { get; }

    /// <summary>Source positions by record index, or null when the source has none.</summary>
    public IReadOnlyList<SourcePosition?>? Positions { get; }

    /// <summary>The number of records.</summary>
    public int Count { get; }

    /// <summary>The source position of record <paramref name="index"/>, if known.</summary>
    public SourcePosition? PositionOf(int index) => Columnar is { } columnar ? columnar.PositionOf(index) : Positions?[index];

    /// <summary>This batch as records: itself, or for a columnar batch its rows read as records.</summary>
    public async ValueTask<RecordBatch> MaterializeAsync(CancellationToken cancellationToken = default) =>
        Columnar is { } columnar ? await columnar.ReadRecordsAsync(cancellationToken) : this;

    /// <summary>A batch of <paramref name="schema"/> to be filled record by record with <see cref="Builder"/>.</summary>
    public static Builder CreateBuilder(RecordSchema schema, int capacity = 0) => new(schema, capacity);

    /// <summary>Collects records (and their positions) of one schema into a batch.</summary>
    public sealed class Builder(RecordSchema schema, int capacity)
    {
        private readonly List<GenericRecord> _records = new(capacity);
        private readonly List<SourcePosition?> _positions = new(capacity);

        /// <summary>The schema of the batch being built.</summary>
        public RecordSchema Schema { get; } = schema;

        /// <summary>Adds a record from the given source position.</summary>
        public void Add(GenericRecord record, SourcePosition? position)
        {
            _records.Add(record);
            _positions.Add(position);
        }

        /// <summary>Builds the batch.</summary>
        public RecordBatch Build() => new(Schema, _records, _positions);
    }
}
