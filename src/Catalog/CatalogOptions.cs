namespace Streams.Catalog;

/// <summary>Catalog settings, bound from <c>Streams:Catalog</c>.</summary>
public sealed class CatalogOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Streams:Catalog";

    /// <summary>
    /// The AES-256 key (32 bytes, base64) that encrypts connection secrets. Required to store a connection with
    /// a password or secret key.
    /// </summary>
    public string SecretKey { get; set; } = "";

    /// <summary>
    /// Access key id → secret access key pairs allowed to call the Glue API. When empty, requests are accepted
    /// unsigned or signed with any key; when set, every request must carry a valid SigV4 signature by one of them.
    /// </summary>
    public Dictionary<string, string> AccessKeys { get; set; } = [];
}
