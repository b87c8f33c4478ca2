using Npgsql;
using Streams.Pipelines.Specs;

namespace Streams.Pipelines.Execution;

/// <summary>Writes dead letters to <see cref="PostgresDeadLetterTable"/> in a transaction of their own, one per step.</summary>
/// <param name="dataSource">The database with the serving schema.</param>
/// <param name="pipeline">The pipeline name stored with each dead letter.</param>
public sealed class PostgresDeadLetterSink(NpgsqlDataSource dataSource, string pipeline) : IPipelineSink
{
    /// <inheritdoc />
    public bool Accepts(string output) => output == SinkSpec.DeadLetters;

    /// <inheritdoc />
    public async Task WriteAsync(PipelineStep step, CancellationToken cancellationToken)
    {
        if (step.Result.DeadLetters.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresDeadLetterTable.WriteAsync(connection, transaction, pipeline, step.Result.DeadLetters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteAsync(PipelineStep step, CancellationToken cancellationToken) => WriteAsync(step, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
