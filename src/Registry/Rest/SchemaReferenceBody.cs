using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>A schema reference in a body.</summary>
public sealed record SchemaReferenceBody
{
    /// <summary>The name the schema uses for the referenced type.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The subject the referenced schema is registered under.</summary>
    [JsonPropertyName("subject")] public string? Subject { get; init; }

    /// <summary>Its version there.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }

    /// <summary>Converts to the registry's reference.</summary>
    public SchemaReference ToReference() => new(Name ?? "", Subject ?? "", Version);

    /// <summary>The bodies of <paramref name="references"/>, or <c>null</c> when there are none (the API then omits them).</summary>
    public static IReadOnlyList<SchemaReferenceBody>? FromList(IReadOnlyList<SchemaReference>? references) =>
        references is { Count: > 0 }
            ? references.Select(r => new SchemaReferenceBody { Name = r.Name, Subject = r.Subject, Version = r.Version }).ToList()
            : null;
}
