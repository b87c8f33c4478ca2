using Streams.Registry.Client;
using static Streams.Registry.Tests.AvroSchemas;

namespace Streams.Registry.Tests;

/// <summary>The HTTP client against the real server: answers, typed errors, and what it caches.</summary>
public sealed class CachedSchemaRegistryClientTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private (CachedSchemaRegistryClient Client, CountingHandler Counter, ManualClock Clock) CreateClient()
    {
        var counter = new CountingHandler();
        var clock = new ManualClock();
        var http = new HttpClient(counter) { BaseAddress = CachedSchemaRegistryClient.BaseUri(server.BaseUrl) };
        return (new CachedSchemaRegistryClient(http, new SchemaRegistryClientOptions { TimeProvider = clock }), counter, clock);
    }

    [Fact]
    public async Task Registers_looks_up_and_reads_through_the_api()
    {
        var (client, _, _) = CreateClient();
        var subject = $"client-{Guid.NewGuid():N}";
        var v1 = new SchemaSubmission(Record("Cli", Field("a", "int")));
        var v2 = new SchemaSubmission(Record("Cli", Field("a", "int"), Field("b", "int", 1)));
        var id1 = await client.RegisterSchemaAsync(subject, v1);
        var id2 = await client.RegisterSchemaAsync(subject, v2);
        (await client.LookUpSchemaAsync(subject, v1)).Should().BeEquivalentTo(new RegisteredSchema(subject, id1, 1, "AVRO", v1.Schema, []));
        (await client.GetSchemaAsync(id2)).Should().BeEquivalentTo(new StoredSchema(id2, "AVRO", v2.Schema, []));
        (await client.GetLatestSchemaAsync(subject)).Version.Should().Be(2);
        (await client.GetSchemaAsync(subject, 1)).Id.Should().Be(id1);
        (await client.GetVersionsAsync(subject)).Should().Equal(1, 2);
        (await client.GetSubjectsAsync()).Should().Contain(subject);
        (await client.TestCompatibilityAsync(subject, new SchemaSubmission(Record("Cli", Field("a", "string"))))).Should().NotBeEmpty();
        (await client.TestCompatibilityAsync(subject, v2, 1)).Should().BeEmpty();
        await client.SetCompatibilityAsync(subject, CompatibilityLevel.Full);
        (await client.GetCompatibilityAsync(subject)).Should().Be(CompatibilityLevel.Full);
        (await client.DeleteSubjectAsync(subject)).Should().Equal(1, 2);
        (await client.DeleteSubjectAsync(subject, permanent: true)).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Errors_are_typed_with_the_registry_code()
    {
        var (client, _, _) = CreateClient();
        var missing = await FluentActions.Awaiting(() => client.GetSchemaAsync(424242)).Should().ThrowAsync<SchemaRegistryException>();
        missing.Which.ErrorCode.Should().Be(40403);
        missing.Which.StatusCode.Should().Be(404);
        var invalid = await FluentActions.Awaiting(() => client.RegisterSchemaAsync("x", new SchemaSubmission("{\"type\":\"nope\"}")))
            .Should().ThrowAsync<SchemaRegistryException>();
        invalid.Which.ErrorCode.Should().Be(42201);
    }

    [Fact]
    public async Task Caches_what_cannot_change_and_the_latest_version_for_its_ttl()
    {
        var (client, counter, clock) = CreateClient();
        var subject = $"cache-{Guid.NewGuid():N}";
        var schema = new SchemaSubmission(Record("Cached", Field("a", "int")));

        var id = await client.RegisterSchemaAsync(subject, schema);
        (await client.RegisterSchemaAsync(subject, schema)).Should().Be(id);
        counter.Requests.Should().Be(1);

        await client.GetSchemaAsync(id);
        await client.GetSchemaAsync(id);
        counter.Requests.Should().Be(2);

        await client.LookUpSchemaAsync(subject, schema);
        await client.LookUpSchemaAsync(subject, schema);
        counter.Requests.Should().Be(3);

        await client.GetLatestSchemaAsync(subject);
        await client.GetLatestSchemaAsync(subject);
        counter.Requests.Should().Be(4);
        await client.GetSchemaAsync(subject, 1);
        counter.Requests.Should().Be(4, "the latest answer also fills the version cache");

        await server.Registry.SetCompatibilityAsync(subject, CompatibilityLevel.None);
        await server.Registry.RegisterAsync(subject, new SchemaSubmission(Record("Cached", Field("b", "int"))));
        (await client.GetLatestSchemaAsync(subject)).Version.Should().Be(1, "within the TTL the cached latest is used");
        clock.Advance(TimeSpan.FromMinutes(2));
        (await client.GetLatestSchemaAsync(subject)).Version.Should().Be(2);
        counter.Requests.Should().Be(5);
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
