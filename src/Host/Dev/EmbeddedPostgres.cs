using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Streams.Host.Dev;

/// <summary>
/// A PostgreSQL cluster of its own, run from the system's server binaries (Debian's postgresql
/// package) with its data under a directory of the caller's. Listens on 127.0.0.1 only, on a free
/// port, with trust authentication: a development database, not a production one.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>The database and superuser name the cluster is created with.</summary>
    public const string DatabaseName = "streams";

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _runAsPostgresUser;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, bool runAsPostgresUser, int port)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _runAsPostgresUser = runAsPostgresUser;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Npgsql connection string of the <c>streams</c> database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = DatabaseName,
        Database = DatabaseName,
    }.ConnectionString;

    /// <summary>
    /// Starts the cluster whose data lives in <paramref name="directory"/>, creating it on first use.
    /// When running as root the server runs as the <c>postgres</c> user, as PostgreSQL refuses root.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory();
        var runAsPostgres = Environment.UserName == "root";
        directory = Path.GetFullPath(directory);
        if (runAsPostgres)
        {
            directory = await PlaceForPostgresUserAsync(directory, cancellationToken);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        var data = Path.Combine(directory, "data");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", data, "-U", DatabaseName, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                runAsPostgres, cancellationToken);
        }

        var port = FreePort();
        var options = string.Join(' ',
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {directory}",
            "-c listen_addresses=127.0.0.1");
        var server = new EmbeddedPostgres(bin, data, runAsPostgres, port);
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"],
            runAsPostgres, cancellationToken);
        await server.EnsureDatabaseAsync(cancellationToken);
        return server;
    }

    /// <summary>Stops the server (fast shutdown: running sessions are rolled back).</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"],
            _runAsPostgresUser, CancellationToken.None);
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql. Run scripts/setup " +
            "(it installs Debian's postgresql package), or point Streams at a server with Streams:Postgres:ConnectionString.");
    }

    /// <summary>
    /// Makes <paramref name="directory"/> usable by the <c>postgres</c> user and returns the path to run from.
    /// Under a private parent (a checkout in /root, a 0700 temp folder) the postgres user cannot reach it,
    /// so the cluster then lives in /var/tmp and <paramref name="directory"/> becomes a link to it.
    /// </summary>
    private static async Task<string> PlaceForPostgresUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (new FileInfo(directory).LinkTarget is { } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(directory);
        await RunAsync("chown", ["postgres:postgres", directory], false, cancellationToken);
        if (await PostgresCanWriteAsync(directory, cancellationToken))
        {
            return directory;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(directory)))[..16];
        var target = Path.Combine(Path.GetTempPath().StartsWith("/tmp", StringComparison.Ordinal) ? "/var/tmp" : Path.GetTempPath(),
            $"streams-postgres-{hash}");
        Directory.CreateDirectory(target);
        await RunAsync("chown", ["postgres:postgres", target], false, cancellationToken);
        if (Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException(
                $"{directory} holds files but is not reachable by the postgres user, which runs the database when " +
                "Streams runs as root. Move it, or pass --state with a directory outside private folders such as /root.");
        }

        Directory.Delete(directory);
        Directory.CreateSymbolicLink(directory, target);
        return target;
    }

    private static async Task<bool> PostgresCanWriteAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("test", ["-w", directory, "-a", "-x", directory], true, cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
        }
    }
}
