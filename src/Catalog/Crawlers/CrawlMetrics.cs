namespace Streams.Catalog.Crawlers;

/// <summary>Counters of one crawler run, updated as it goes (thread-safe), and the messages it logged.</summary>
public sealed class CrawlMetrics
{
    private readonly Lock _lock = new();
    private readonly List<string> _messages = [];
    private int _tablesCreated, _tablesUpdated, _tablesDeleted, _partitionsAdded;
    private int _filesRead, _filesSkipped, _filesUnreadable, _filesUnclassified;

    public int TablesCreated => _tablesCreated;
    public int TablesUpdated => _tablesUpdated;
    public int TablesDeleted => _tablesDeleted;
    public int PartitionsAdded => _partitionsAdded;
    public int FilesRead => _filesRead;
    public int FilesSkipped => _filesSkipped;
    public int FilesUnreadable => _filesUnreadable;
    public int FilesUnclassified => _filesUnclassified;

    /// <summary>What the run logged: unreadable and unclassified files with the reason, changes not applied by policy.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public void TableCreated() => Interlocked.Increment(ref _tablesCreated);
    public void TableUpdated() => Interlocked.Increment(ref _tablesUpdated);
    public void TableDeleted() => Interlocked.Increment(ref _tablesDeleted);
    public void PartitionAdded() => Interlocked.Increment(ref _partitionsAdded);
    public void FileRead() => Interlocked.Increment(ref _filesRead);
    public void FileSkipped() => Interlocked.Increment(ref _filesSkipped);

    /// <summary>A file a classifier claimed but could not read.</summary>
    public void FileUnreadable(string path, string reason)
    {
        Interlocked.Increment(ref _filesUnreadable);
        Log($"UNREADABLE {path}: {reason}");
    }

    /// <summary>A file no classifier claimed.</summary>
    public void FileUnclassified(string path)
    {
        Interlocked.Increment(ref _filesUnclassified);
        Log($"UNCLASSIFIED {path}: no classifier recognises its content");
    }

    /// <summary>A Kafka target topic the cluster does not have (counted with the unclassified: nothing could be read).</summary>
    public void TopicMissing(string topic, string reason)
    {
        Interlocked.Increment(ref _filesUnclassified);
        Log($"MISSING kafka topic {topic}: {reason}");
    }

    /// <summary>Adds a message to the run's log.</summary>
    public void Log(string message)
    {
        lock (_lock)
        {
            _messages.Add(message);
        }
    }
}
