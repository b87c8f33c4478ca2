namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// Builds the paths that errors use to name a node of a schema or a value. A path starts at the root
/// (the full name of a named root, or empty) and continues with <c>.field</c> for a record field,
/// <c>[]</c> for array items, <c>{}</c> for map values and <c>&lt;i&gt;</c> for union branch i,
/// e.g. <c>com.acme.Order.lines[].price</c> or <c>com.acme.Order.customer&lt;1&gt;.email</c>.
/// </summary>
internal static class SchemaPath
{
    public static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Items(string path) => path + "[]";

    public static string Values(string path) => path + "{}";

    public static string Branch(string path, int index) => $"{path}<{index}>";

    /// <summary>A value path into an array element: <c>path[3]</c>.</summary>
    public static string Element(string path, int index) => $"{path}[{index}]";

    /// <summary>A value path into a map entry: <c>path{"key"}</c>.</summary>
    public static string Entry(string path, string key) => $"{path}{{\"{key}\"}}";

    /// <summary>Joins a prefix and a relative path that starts with a separator or a name.</summary>
    public static string Append(string path, string relative) =>
        relative.Length == 0 ? path
        : path.Length == 0 ? relative.TrimStart('.')
        : relative[0] is '[' or '{' or '<' or '.' ? path + relative : $"{path}.{relative}";
}
