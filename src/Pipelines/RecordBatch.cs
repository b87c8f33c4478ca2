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
        Records = records;
        Positions = positions;
    }

    /// <summary>The schema of every record.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The records.</summary>
    public IReadOnlyList<GenericRecord> Records { get; }

    /// <summary>Source positions by record index, or null when the source has none.</summary>
    public IReadOnlyList<SourcePosition?>? Positions { get; }

    /// <summary>The number of records.</summary>
    public int Count => Records.Count;

    /// <summary>The source position of record <paramref name="index"/>, if known.</summary>
    public SourcePosition? PositionOf(int index) => Positions?[index];

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
