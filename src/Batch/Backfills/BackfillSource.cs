using System.Diagnostics;
using System.Runtime.CompilerServices;
using Streams.Batch.Planning;
using Streams.Batch.Reading;
using Streams.Formats.Model;
using Streams.Pipelines;
using Streams.Pipelines.Execution;
using Streams.Pipelines.Expressions;

namespace Streams.Batch.Backfills;

/// <summary>
/// The driver's source for a backfill: the chunks of the parallel readers as <see cref="SourceBatch"/>es (unreadable
/// data as their dead letters), counting rows, files and bytes for the progress and, when the bookmark needs them,
/// each file's event-time range.
/// </summary>
internal sealed class BackfillSource : IRecordBatchSource
{
    private readonly ParallelSplitReader _reader;
    private readonly ISplitQueue _queue;
    private readonly BackfillPlan _plan;
    private readonly CompiledExpression? _time;
    private readonly IProgress<BackfillProgress>? _progress;
    private readonly Dictionary<string, FileStatistics> _files = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();
    private long _bytesTotal;
    private int _splitsTotal;
    private Action? _phaseOneDone;
    private int _phaseOneSplits;
    private long _bytes;
    private long _lastReport;

    /// <param name="reader">The parallel readers.</param>
    /// <param name="queue">The splits to read.</param>
    /// <param name="plan">The plan (for totals).</param>
    /// <param name="time">The event time of a record, tracked per file for the bookmark; null to track none.</param>
    /// <param name="progress">Receives progress about twice a second.</param>
    public BackfillSource(ParallelSplitReader reader, ISplitQueue queue, BackfillPlan plan, CompiledExpression? time, IProgress<BackfillProgress>? progress)
    {
        _reader = reader;
        _queue = queue;
        _plan = plan;
        _time = time;
        _progress = progress;
        _bytesTotal = plan.Splits.Sum(s => s.Bytes);
        _splitsTotal = plan.Splits.Count;
    }

    /// <summary>Calls <paramref name="done"/> once the plan's splits are all read (at once when there are none): the second phase starts then.</summary>
    public void OnPlanRead(Action done)
    {
        _phaseOneDone = done;
        _phaseOneSplits = _plan.Splits.Count;
    }

    /// <summary>Counts splits added to the run after the plan (the second phase) into the progress totals.</summary>
    public void AddSplits(IReadOnlyCollection<FileSplit> splits)
    {
        _splitsTotal += splits.Count;
        _bytesTotal += splits.Sum(s => s.Bytes);
    }

    public long Rows { get; private set; }

    public long Unreadable { get; private set; }

    public int SplitsDone { get; private set; }

    public int RowGroupsSkipped { get; private set; }

    /// <summary>Per file: rows and event-time range.</summary>
    public IReadOnlyDictionary<string, FileStatistics> Files => _files;

    /// <summary>Dead letters so far, set by the sink (the transforms' and the readers').</summary>
    public long DeadLetters { get; set; }

    public async IAsyncEnumerable<SourceBatch> ReadAsync(IReadOnlyList<SourcePosition> resume, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _clock.Start();
        var empty = new RecordBatch(_plan.Layout.OutputSchema, []);
        if (_phaseOneSplits == 0)
        {
            PhaseOneDone();
        }
        await foreach (var chunk in _reader.ReadAsync(_queue, cancellationToken))
        {
            var statistics = Statistics(chunk.Split.File.Path);
            switch (chunk)
            {
                case SplitChunk.Records records:
                    Rows += records.Batch.Count;
                    statistics.Rows += records.Batch.Count;
                    if (_time is not null)
                    {
                        Track(records.Batch, statistics);
                    }

                    var last = records.Batch.PositionOf(records.Batch.Count - 1)!.Value;
                    yield return new SourceBatch(records.Batch, [SourcePosition.InFile(chunk.Split.Id, last.Offset + 1)]);
                    break;
                case SplitChunk.Failure failure:
                    Unreadable++;
                    var reason = failure.RestOfSplit ? $"{failure.Reason} (the rest of the {(chunk.Split.FirstRowGroup is null ? "file" : "split")} from here is unread)" : failure.Reason;
                    yield return new SourceBatch(empty, [], [new DeadLetter(null, SourcePosition.InFile(chunk.Split.File.Path, failure.Row), "source", reason)]);
                    break;
                case SplitChunk.Done done:
                    SplitsDone++;
                    statistics.SplitsDone++;
                    RowGroupsSkipped += done.RowGroupsSkipped;
                    _bytes += done.Split.Bytes;
                    if (SplitsDone == _phaseOneSplits)
                    {
                        PhaseOneDone();
                    }

                    break;
            }

            Report(force: false);
        }

        Report(force: true);
    }

    private void PhaseOneDone()
    {
        var done = _phaseOneDone;
        _phaseOneDone = null;
        done?.Invoke();
    }

    private FileStatistics Statistics(string path)
    {
        if (!_files.TryGetValue(path, out var statistics))
        {
            _files[path] = statistics = new FileStatistics();
        }

        return statistics;
    }

    private void Track(RecordBatch batch, FileStatistics statistics)
    {
        if (batch.Columnar is { } columnar)
        {
            // The columnar path runs only where the event time is a field: its vector holds the times.
            if (columnar.Columns.TryGetValue(_time!.Text.Trim(), out var times))
            {
                for (var r = 0; r < times.Count; r++)
                {
                    if (!times.IsNull(r))
                    {
                        statistics.Add(new DateTime(times.Longs[r], DateTimeKind.Utc));
                    }
                }

                return;
            }

            throw new InvalidOperationException($"A columnar batch lacks the event time '{_time.Text}' the bookmark tracks.");
        }

        foreach (var record in batch.Records)
        {
            try
            {
                if (_time!.Evaluate(record) is DateTime t)
                {
                    statistics.Add(t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t, DateTimeKind.Utc));
                }
            }
            catch (ExpressionEvaluationException)
            {
                // The window sends the record to the dead letters; it has no time to track.
            }
        }
    }

    private void Report(bool force)
    {
        if (_progress is null)
        {
            return;
        }

        var now = _clock.ElapsedMilliseconds;
        if (!force && now - _lastReport < 500)
        {
            return;
        }

        _lastReport = now;
        _progress.Report(new BackfillProgress(SplitsDone, _splitsTotal, Rows, _bytes, _bytesTotal, DeadLetters, _clock.Elapsed));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
