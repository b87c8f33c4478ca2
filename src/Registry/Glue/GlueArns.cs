namespace Streams.Registry.Glue;

/// <summary>The ARNs of registries (<c>arn:aws:glue:REGION:ACCOUNT:registry/R</c>) and schemas (<c>...:schema/R/S</c>).</summary>
internal sealed class GlueArns(GlueSchemaRegistryOptions options)
{
    private string Prefix => $"arn:aws:glue:{options.Region}:{options.AccountId}:";

    public string Registry(string registry) => Prefix + ResourceOfRegistry(registry);

    public string Schema(string registry, string schema) => Prefix + ResourceOfSchema(registry, schema);

    /// <summary>The part of an ARN after the account, which tags are kept under: <c>registry/R</c> or <c>schema/R/S</c>.</summary>
    public static string ResourceOfRegistry(string registry) => "registry/" + registry;

    public static string ResourceOfSchema(string registry, string schema) => "schema/" + registry + "/" + schema;

    /// <summary>The resource part of a Glue ARN (any region and account), or an InvalidInputException.</summary>
    public static string Resource(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "glue" || parts[5].Length == 0)
        {
            throw GlueSchemaRegistryException.Invalid($"'{arn}' is not a Glue ARN (arn:aws:glue:REGION:ACCOUNT:registry/NAME or .../schema/REGISTRY/NAME).");
        }

        return parts[5];
    }

    /// <summary>The registry an ARN names.</summary>
    public static string RegistryOf(string arn)
    {
        var resource = Resource(arn);
        return resource.StartsWith("registry/", StringComparison.Ordinal) && resource.Length > 9 && !resource[9..].Contains('/')
            ? resource[9..]
            : throw GlueSchemaRegistryException.Invalid($"'{arn}' is not a registry ARN (arn:aws:glue:REGION:ACCOUNT:registry/NAME).");
    }

    /// <summary>The registry and schema a schema ARN names.</summary>
    public static (string Registry, string Schema) SchemaOf(string arn)
    {
        var parts = Resource(arn).Split('/');
        return parts is ["schema", { Length: > 0 } registry, { Length: > 0 } schema]
            ? (registry, schema)
            : throw GlueSchemaRegistryException.Invalid($"'{arn}' is not a schema ARN (arn:aws:glue:REGION:ACCOUNT:schema/REGISTRY/NAME).");
    }
}
