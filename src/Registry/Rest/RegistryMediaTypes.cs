using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streams.Registry.Rest;

/// <summary>The content types and JSON settings of the registry API.</summary>
/// <remarks>
/// The records beside this class are the JSON bodies of Confluent's Schema Registry API, shared by the server
/// endpoints and the client. Their property names are the API's, which mixes camelCase and snake_case.
/// </remarks>
public static class RegistryMediaTypes
{
    /// <summary>The API's own content type, preferred in requests and answers.</summary>
    public const string V1Json = "application/vnd.schemaregistry.v1+json";

    /// <summary>The unversioned variant.</summary>
    public const string Json = "application/vnd.schemaregistry+json";

    /// <summary>Plain JSON, also accepted.</summary>
    public const string ApplicationJson = "application/json";

    /// <summary>
    /// Serializer options for the wire models: nulls are omitted and schema texts keep their quotes as <c>\"</c>
    /// rather than <c>\u0022</c>, as Confluent's registry writes them.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
