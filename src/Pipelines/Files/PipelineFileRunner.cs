using Streams.Formats.Model;
using Streams.Pipelines.Execution;

namespace Streams.Pipelines.Files;

/// <summary>
/// Runs a pipeline over one record file into an output file, in <see cref="PipelineMode.Batch"/>: the
/// <see cref="PipelineDriver"/> over a <see cref="RecordFileSource"/> into a <see cref="FileSink"/>, the code
/// path of the batch layer without Kafka. Child outputs go to <c>OUTPUT.child.EXT</c>; dead letters to
/// <c>OUTPUT.dead-letters.jsonl</c> (<see cref="DeadLetterJson"/>).
/// </summary>
public static class PipelineFileRunner
{
    /// <summary>Runs <paramref name="runner"/> over <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="runner">A runner in batch mode (prepared by this call).</param>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputPath">The output file; its extension picks the format.</param>
    /// <param name="inputSchema">The schema for inputs that carry none (JSON lines), or null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<FileRunSummary> RunAsync(PipelineRunner runner, string inputPath, string outputPath, Schema? inputSchema,
        CancellationToken cancellationToken = default)
    {
        await using var sink = new FileSink(outputPath);
        await using var source = new RecordFileSource(inputPath, inputSchema);
        var driver = new PipelineDriver(runner, [sink]);
        await driver.RunAsync(source, cancellationToken);
        return sink.Summary(driver.RecordsRead);
    }
}
