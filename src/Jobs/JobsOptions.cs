namespace Streams.Jobs;

/// <summary>How a host runs jobs and triggers (section <c>Streams:Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Streams:Jobs";

    /// <summary>This host's name in run leases and firings; default machine name, process id and a random suffix.</summary>
    public string HostId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How often the host looks for queued runs and due triggers.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a host's claim on a run lasts without renewal (renewed every third of it): when a host dies, another
    /// takes its runs over this long after its last renewal.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Runs one host executes at once.</summary>
    public int MaxRunsPerHost { get; set; } = 16;

    /// <summary>Whether this host runs the scheduler and executes runs (a host that only serves the API sets false).</summary>
    public bool Enabled { get; set; } = true;
}
