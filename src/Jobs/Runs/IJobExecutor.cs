namespace Streams.Jobs.Runs;

/// <summary>Executes one kind of job (a <c>Command.Name</c>).</summary>
internal interface IJobExecutor
{
    /// <summary>
    /// Runs <paramref name="context"/>'s job until it is done or <paramref name="cancellationToken"/> asks it to stop; returns
    /// normally when it finished (or stopped cleanly), throws when it failed.
    /// </summary>
    Task RunAsync(JobRunContext context, CancellationToken cancellationToken);
}
