using static Streams.Registry.Tests.AvroSchemas;

namespace Streams.Registry.Tests;

/// <summary>Each compatibility level enforced on registration, with the schema evolutions that tell them apart.</summary>
public sealed class CompatibilityLevelTests(RegistryServer server) : IClassFixture<RegistryServer>
{
    private static readonly string A = Record("Evolving", Field("a", "int"));
    private static readonly string AB0 = Record("Evolving", Field("a", "int"), Field("b", "int", 0));
    private static readonly string AB = Record("Evolving", Field("a", "int"), Field("b", "int"));
    private static readonly string ALong = Record("Evolving", Field("a", "long"));
    private static readonly string AString = Record("Evolving", Field("a", "string"));

    public static TheoryData<string, string[], string, bool> Evolutions => new()
    {
        // level, registered before, candidate, accepted
        { "NONE", [A], AString, true },
        { "BACKWARD", [A], AB0, true },            // new reader fills b from its default
        { "BACKWARD", [A], AB, false },            // new reader has no value for b
        { "BACKWARD", [AB], A, true },             // new reader ignores b
        { "BACKWARD", [A], ALong, true },          // int promotes to long
        { "BACKWARD", [ALong], A, false },         // long does not narrow to int
        { "BACKWARD", [A, AB0], AB, true },        // only the latest is checked...
        { "BACKWARD_TRANSITIVE", [A, AB0], AB, false }, // ...unless transitive: AB cannot read A's data
        { "FORWARD", [A], AB, true },              // old reader ignores b
        { "FORWARD", [AB], A, false },             // old reader has no value for b
        { "FORWARD", [AB0], A, true },             // old reader fills b from its default
        { "FORWARD", [A], ALong, false },          // old int reader cannot read long
        { "FORWARD", [AB, AB0], A, true },
        { "FORWARD_TRANSITIVE", [AB, AB0], A, false },
        { "FULL", [A], AB0, true },
        { "FULL", [A], AB, false },
        { "FULL", [AB], A, false },
        { "FULL", [A, AB0], AB, true },
        { "FULL_TRANSITIVE", [A, AB0], AB, false },
        { "FULL_TRANSITIVE", [A, AB0], Record("Evolving", Field("a", "int"), Field("b", "int", 0), Field("c", "string", "")), true },
    };

    [Theory]
    [MemberData(nameof(Evolutions))]
    public async Task Registration_enforces_the_subject_level(string level, string[] before, string candidate, bool accepted)
    {
        var subject = $"evolve-{level}-{Guid.NewGuid():N}";
        var registry = server.Registry;
        await registry.SetCompatibilityAsync(subject, CompatibilityLevel.None);
        foreach (var schema in before)
        {
            await registry.RegisterAsync(subject, new SchemaSubmission(schema));
        }

        await registry.SetCompatibilityAsync(subject, CompatibilityLevels.Parse(level));
        var reasons = await registry.TestCompatibilityAsync(subject, null, new SchemaSubmission(candidate));
        var register = () => registry.RegisterAsync(subject, new SchemaSubmission(candidate));
        if (accepted)
        {
            reasons.Should().BeEmpty();
            (await register()).Version.Should().Be(before.Length + 1);
        }
        else
        {
            reasons.Should().NotBeEmpty();
            (await register.Should().ThrowAsync<SchemaRegistryException>()).Which.ErrorCode.Should().Be(409);
            (await registry.GetVersionsAsync(subject)).Should().HaveCount(before.Length);
        }
    }

    [Fact]
    public async Task Global_level_applies_to_subjects_without_their_own()
    {
        var subject = $"global-{Guid.NewGuid():N}";
        var registry = server.Registry;
        await registry.RegisterAsync(subject, new SchemaSubmission(A));
        var reasons = await registry.TestCompatibilityAsync(subject, VersionSpec.Latest, new SchemaSubmission(AB));
        reasons.Should().NotBeEmpty("the default global level is BACKWARD");
        reasons.Should().Contain(r => r.Contains("version 1", StringComparison.Ordinal));
        await registry.SetCompatibilityAsync(subject, CompatibilityLevel.Forward);
        (await registry.TestCompatibilityAsync(subject, VersionSpec.Latest, new SchemaSubmission(AB))).Should().BeEmpty();
    }
}
