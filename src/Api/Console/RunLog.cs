using Streams.Jobs.Store;

namespace Streams.Api.Console;

/// <summary>A job run's log lines after a sequence number (as <c>streams jobs logs</c> prints them), with the run's state.</summary>
/// <param name="State">The run's state now: the console follows the log while it is not final.</param>
/// <param name="Lines">The lines, oldest first; pass the last one's sequence as <c>after</c> to get only newer ones.</param>
public sealed record RunLog(string State, IReadOnlyList<JobRunLogLine> Lines);
