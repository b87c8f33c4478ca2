using Npgsql;
using Streams.Registry.Formats;
using Streams.Testing;
using static Streams.Registry.Tests.AvroSchemas;

namespace Streams.Registry.Tests;

/// <summary>
/// Several registries, each with its own connection pool as separate hosts would have, registering into one
/// database at once: no id is handed out twice, no version is lost or out of order.
/// </summary>
public sealed class ConcurrentRegistrationTests : IAsyncLifetime
{
    private const int Hosts = 4;
    private const int WorkersPerHost = 3;
    private const int SchemasPerWorker = 6;
    private const int Subjects = 3;

    private TestDatabase _database = null!;
    private readonly List<SchemaRegistry> _registries = [];

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        for (var i = 0; i < Hosts; i++)
        {
            var pool = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = $"host{i}", MaxPoolSize = 4 };
            _registries.Add(new SchemaRegistry(pool.ConnectionString, [new AvroSchemaFormat()]));
        }

        // Every host migrates at start: concurrently, the tables must be created exactly once.
        await Task.WhenAll(_registries.Select(r => r.InitializeAsync()));
        await _registries[0].SetCompatibilityAsync(null, CompatibilityLevel.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_registrations_get_unique_ids_and_gapless_ordered_versions()
    {
        // Each worker registers its own schemas in order into shared subjects, plus one schema every worker shares.
        var shared = Record("Shared", Field("s", "int"));
        var results = await Task.WhenAll(
            from host in Enumerable.Range(0, Hosts)
            from worker in Enumerable.Range(0, WorkersPerHost)
            select Task.Run(async () =>
            {
                var registry = _registries[host];
                var mine = new List<(string Subject, string Schema, int Id, int Version)>();
                for (var i = 0; i < SchemasPerWorker; i++)
                {
                    var subject = $"subject-{i % Subjects}";
                    var schema = Record($"W{host}x{worker}", Field($"f{i}", "int"));
                    var (id, version) = await registry.RegisterAsync(subject, new SchemaSubmission(schema));
                    mine.Add((subject, schema, id, version));
                    var (sharedId, sharedVersion) = await registry.RegisterAsync($"shared-{i % 2}", new SchemaSubmission(shared));
                    mine.Add(($"shared-{i % 2}", shared, sharedId, sharedVersion));
                }

                return mine;
            }));

        var all = results.SelectMany(r => r).ToList();
        var distinct = all.Where(r => r.Schema != shared).ToList();
        distinct.Select(r => r.Id).Should().OnlyHaveUniqueItems("every distinct schema gets its own id");
        all.Where(r => r.Schema == shared).Select(r => r.Id).Distinct().Should().ContainSingle("the same schema shares one id");
        all.Where(r => r.Schema == shared).Select(r => r.Version).Distinct().Should().Equal(1);

        var ids = all.Select(r => r.Id).Distinct().Order().ToList();
        ids.Should().Equal(Enumerable.Range(1, ids.Count), "ids are assigned without gaps");

        var reader = _registries[^1];
        for (var s = 0; s < Subjects; s++)
        {
            var subject = $"subject-{s}";
            var registered = distinct.Where(r => r.Subject == subject).ToList();
            var versions = await reader.GetVersionsAsync(subject);
            versions.Should().Equal(Enumerable.Range(1, registered.Count), "no version is lost and none is skipped");
            foreach (var r in registered)
            {
                var stored = await reader.GetVersionAsync(subject, VersionSpec.Of(r.Version));
                stored.Id.Should().Be(r.Id);
                stored.Schema.Should().Be(r.Schema);
            }
        }

        // A worker's own registrations into one subject keep their order.
        foreach (var worker in results)
        {
            foreach (var perSubject in worker.Where(r => r.Schema != shared).GroupBy(r => r.Subject))
            {
                perSubject.Select(r => r.Version).Should().BeInAscendingOrder();
            }
        }
    }
}
