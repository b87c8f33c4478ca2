using Streams.Formats.Model;
using Streams.Serving;

namespace Streams.Pipelines;

/// <summary>
/// Rows of one schema held as typed column vectors of the fields a columnar step needs (see
/// <see cref="PipelineRunner.ColumnarFields"/>): the batch layer's representation of a Parquet row group for the
/// filters and aggregates that run over vectors. The rows' records are read only when a step needs them (a shape the
/// columnar path does not cover, a row that goes to the dead letters), through <see cref="ReadRecordsAsync"/>.
/// </summary>
/// <param name="schema">The schema of the rows' records.</param>
/// <param name="count">The number of rows.</param>
/// <param name="columns">Vectors by field name.</param>
/// <param name="first">The source position of the first row (row <c>i</c> is at its offset plus <c>i</c>).</param>
/// <param name="readRecords">Reads the rows' records, in order, with their positions.</param>
public sealed class ColumnarBatch(RecordSchema schema, int count, IReadOnlyDictionary<string, ColumnVector> columns, SourcePosition first,
    Func<CancellationToken, Task<RecordBatch>> readRecords)
{
    /// <summary>The schema of the rows' records.</summary>
    public RecordSchema Schema { get; } = schema;

    /// <summary>The number of rows.</summary>
    public int Count { get; } = count;

    /// <summary>The vectors, by field name.</summary>
    public IReadOnlyDictionary<string, ColumnVector> Columns { get; } = columns;

    /// <summary>The source position of row <paramref name="row"/>.</summary>
    public SourcePosition PositionOf(int row) => first with { Offset = first.Offset + row };

    /// <summary>Reads the rows as records (every field), with their positions.</summary>
    public Task<RecordBatch> ReadRecordsAsync(CancellationToken cancellationToken) => readRecords(cancellationToken);
}
