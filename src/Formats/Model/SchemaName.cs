namespace Streams.Formats.Model;

/// <summary>The name of a named schema: a simple name and an optional namespace.</summary>
/// <param name="Name">The simple name, without dots.</param>
/// <param name="Namespace">The namespace, or <c>null</c> for the null namespace.</param>
public sealed record SchemaName(string Name, string? Namespace)
{
    /// <summary>The full name: <c>Namespace.Name</c>, or just the name in the null namespace.</summary>
    public string FullName => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}.{Name}";

    /// <summary>
    /// Splits a possibly dotted name: a name with dots carries its own namespace, otherwise the
    /// enclosing namespace applies (Avro specification, "Names").
    /// </summary>
    public static SchemaName Parse(string name, string? enclosingNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var dot = name.LastIndexOf('.');
        return dot < 0
            ? new SchemaName(name, string.IsNullOrEmpty(enclosingNamespace) ? null : enclosingNamespace)
            : new SchemaName(name[(dot + 1)..], name[..dot]);
    }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
