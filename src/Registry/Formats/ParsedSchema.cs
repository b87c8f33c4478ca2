namespace Streams.Registry.Formats;

/// <summary>A schema text parsed by its <see cref="ISchemaFormat"/>.</summary>
/// <param name="Format">The format that parsed it.</param>
/// <param name="Canonical">
/// The form that decides identity: two registrations whose canonical forms (and references) are equal are the
/// same schema and get the same id.
/// </param>
/// <param name="Normalized">The text registered instead of the submitted one when a request asks <c>normalize=true</c>.</param>
/// <param name="Model">The format's own parsed representation (for Avro, a <c>Streams.Formats.Model.Schema</c>).</param>
public sealed record ParsedSchema(ISchemaFormat Format, string Canonical, string Normalized, object Model);
