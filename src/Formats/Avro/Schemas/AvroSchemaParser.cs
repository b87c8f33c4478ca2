using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Formats.Avro.Json;
using Streams.Formats.Avro.Logical;
using Streams.Formats.Model;

namespace Streams.Formats.Avro.Schemas;

/// <summary>
/// Parses Avro JSON schemas (Avro 1.11 specification, "Schema Declaration") into the shared schema model.
/// </summary>
/// <remarks>
/// <para>
/// Every rule of the specification is checked and a violation throws <see cref="SchemaException"/>
/// whose <see cref="SchemaException.Path"/> names the offending node (see <c>SchemaPath</c> for the
/// notation: <c>com.acme.Order.lines[].price</c>, union branches as <c>&lt;i&gt;</c>). Field defaults are
/// validated against their type; a union's default must match its first branch.
/// </para>
/// <para>
/// Logical types that are unknown or invalid for their underlying type are ignored as the specification
/// requires (the schema's <see cref="Schema.LogicalType"/> is <c>null</c>); their attributes are kept as
/// custom properties so that writing the schema back loses nothing.
/// </para>
/// <para>
/// Name references follow the specification: a dotted name is a full name, otherwise the enclosing
/// namespace applies. Like the Java and Python implementations, a reference that names no type in the
/// enclosing namespace falls back to the null namespace, the only way a namespaced schema can refer to
/// a type of the null namespace.
/// </para>
/// </remarks>
public static class AvroSchemaParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 256 };

    /// <summary>Parses a schema from its JSON text.</summary>
    /// <exception cref="SchemaException">The text is not JSON or not a valid Avro schema.</exception>
    public static Schema Parse(string json) => Parse(json, (Func<string, NamedSchema?>?)null);

    /// <summary>
    /// Parses a schema whose name references may point to named types defined elsewhere:
    /// <paramref name="resolveName"/> receives the full name of a type the schema itself does not define and
    /// returns it, or <c>null</c> when it is unknown.
    /// </summary>
    public static Schema Parse(string json, Func<string, NamedSchema?>? resolveName)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(ParseJson(json), resolveName);
    }

    /// <summary>
    /// Parses a schema that may refer to the named types defined in <paramref name="references"/> (already
    /// parsed schemas, e.g. a registry subject's references), including types nested inside them.
    /// </summary>
    /// <exception cref="SchemaException">
    /// Two references define the same full name differently, or the schema is invalid.
    /// </exception>
    public static Schema Parse(string json, IEnumerable<Schema> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var known = new Dictionary<string, NamedSchema>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            foreach (var named in NamedTypes(reference))
            {
                if (known.TryGetValue(named.FullName, out var existing) && !ReferenceEquals(existing, named)
                    && CanonicalForm.Of(existing) != CanonicalForm.Of(named))
                {
                    throw new SchemaException(
                        $"The referenced schemas define {named.FullName} twice, differently.", named.FullName);
                }

                known.TryAdd(named.FullName, named);
            }
        }

        return Parse(json, name => known.GetValueOrDefault(name));
    }

    /// <summary>Parses a schema from an already parsed JSON document (JSON <c>null</c> is rejected).</summary>
    public static Schema Parse(JsonNode? json, Func<string, NamedSchema?>? resolveName = null)
    {
        var reader = new Reader(resolveName);
        var schema = reader.ReadSchema(json, null, "");
        reader.ValidateDefaults();
        return schema;
    }

    /// <summary>Every named type defined in <paramref name="schema"/>, the schema itself included, depth first.</summary>
    public static IReadOnlyList<NamedSchema> NamedTypes(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var found = new List<NamedSchema>();
        var seen = new HashSet<NamedSchema>(ReferenceEqualityComparer.Instance);
        Collect(schema);
        return found;

        void Collect(Schema s)
        {
            switch (s)
            {
                case NamedSchema named when !seen.Add(named):
                    return;
                case RecordSchema record:
                    found.Add(record);
                    foreach (var field in record.Fields)
                    {
                        Collect(field.Schema);
                    }

                    break;
                case NamedSchema named:
                    found.Add(named);
                    break;
                case ArraySchema array:
                    Collect(array.Items);
                    break;
                case MapSchema map:
                    Collect(map.Values);
                    break;
                case UnionSchema union:
                    foreach (var branch in union.Branches)
                    {
                        Collect(branch);
                    }

                    break;
            }
        }
    }

    internal static JsonNode? ParseJson(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new SchemaException($"The schema is not valid JSON: {e.Message}", "");
        }
    }

    /// <summary>One parse: the names defined so far and the defaults to check once every type is complete.</summary>
    private sealed class Reader(Func<string, NamedSchema?>? resolveName)
    {
        private readonly Dictionary<string, (NamedSchema Schema, string Path)> _names = new(StringComparer.Ordinal);

        // Defaults are checked after the whole schema is read: a default may be of a record type whose
        // fields are still being read (a recursive type).
        private readonly List<(Field Field, string Path)> _defaults = [];

        public Schema ReadSchema(JsonNode? node, string? ns, string path) => node switch
        {
            null => throw new SchemaException("A schema cannot be JSON null; use the string \"null\".", path),
            JsonValue value when value.TryGetValue<string>(out var name) => ReadNameOrPrimitive(name, ns, path),
            JsonArray array => ReadUnion(array, ns, path),
            JsonObject obj => ReadObject(obj, ns, path),
            _ => throw new SchemaException(
                $"A schema must be a JSON string, object or array, not {Describe(node)}.", path),
        };

        public void ValidateDefaults()
        {
            foreach (var (field, path) in _defaults)
            {
                try
                {
                    AvroJsonDecoder.DecodeDefault(field.Default, field.Schema);
                }
                catch (AvroValueException e)
                {
                    throw new SchemaException(
                        $"The default of field '{field.Name}' ({Describe(field.Default)}) is not a valid "
                        + $"{field.Schema.DisplayName}: {e.Reason}",
                        SchemaPath.Append(path, e.Path));
                }
            }
        }

        private Schema ReadNameOrPrimitive(string name, string? ns, string path) =>
            AvroNames.Primitive(name) is { } type ? PrimitiveSchema.Of(type) : Lookup(name, ns, path);

        private NamedSchema Lookup(string name, string? ns, string path)
        {
            if (name.Length == 0)
            {
                throw new SchemaException("A type name cannot be empty.", path);
            }

            var full = SchemaName.Parse(name, ns).FullName;
            if (_names.TryGetValue(full, out var found) || (full != name && _names.TryGetValue(name, out found)))
            {
                return found.Schema;
            }

            if (resolveName is not null && (resolveName(full) ?? (full != name ? resolveName(name) : null)) is { } resolved)
            {
                return resolved;
            }

            var known = _names.Count == 0 ? "no named types are defined before it"
                : "defined so far: " + string.Join(", ", _names.Keys.Order(StringComparer.Ordinal));
            throw new SchemaException(
                full == name
                    ? $"Unknown type '{name}': it is not a primitive type nor a previously defined named type ({known})."
                    : $"Unknown type '{name}' (resolved in namespace '{ns}' to {full}): it is not a primitive type nor a previously defined named type ({known}).",
                path);
        }

        private UnionSchema ReadUnion(JsonArray array, string? ns, string path)
        {
            var branches = new List<Schema>(array.Count);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var branchPath = SchemaPath.Branch(path, i);
                var branch = ReadSchema(array[i], ns, branchPath);
                if (branch is UnionSchema)
                {
                    throw new SchemaException("A union may not immediately contain another union.", branchPath);
                }

                var key = branch is NamedSchema named ? named.FullName : Schema.TypeName(branch.Type);
                if (!seen.TryAdd(key, i))
                {
                    throw new SchemaException(
                        $"A union may not contain {(branch is NamedSchema ? "the named type" : "the type")} '{key}' twice (branches {seen[key]} and {i}).",
                        branchPath);
                }

                branches.Add(branch);
            }

            return new UnionSchema(branches);
        }

        private Schema ReadObject(JsonObject obj, string? ns, string path)
        {
            if (!obj.TryGetPropertyValue("type", out var typeNode))
            {
                throw new SchemaException("A schema object must have a 'type' attribute.", path);
            }

            if (typeNode is JsonObject inner && obj.ContainsKey("logicalType")
                && inner["type"] is JsonValue innerType && innerType.TryGetValue<string>(out var innerName) && innerName == "fixed")
            {
                // Apache.Avro (C#) writes a logical type on fixed as {"type": {"type": "fixed", ...}, "logicalType": ...}:
                // read it as the fixed with the outer attributes added, so files it wrote can be read.
                var merged = (JsonObject)inner.DeepClone();
                foreach (var (key, value) in obj)
                {
                    if (key != "type" && !merged.ContainsKey(key))
                    {
                        merged[key] = value?.DeepClone();
                    }
                }

                return ReadObject(merged, ns, path);
            }

            if (typeNode is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
            {
                throw new SchemaException(
                    $"The 'type' of a schema object must be a string naming a type, not {Describe(typeNode)}.", path);
            }

            if (AvroNames.Primitive(type) is { } primitive)
            {
                return ReadPrimitive(obj, primitive);
            }

            return type switch
            {
                "record" or "error" => ReadRecord(obj, ns, path, type == "error"),
                "enum" => ReadEnum(obj, ns, path),
                "fixed" => ReadFixed(obj, ns, path),
                "array" => new ArraySchema(
                    ReadSchema(Required(obj, "items", "an array", path), ns, SchemaPath.Items(path)),
                    Properties(obj, ArrayAttributes)),
                "map" => new MapSchema(
                    ReadSchema(Required(obj, "values", "a map", path), ns, SchemaPath.Values(path)),
                    Properties(obj, MapAttributes)),
                _ when obj.Count == 1 => Lookup(type, ns, path),
                _ => throw new SchemaException(
                    $"'{type}' is not a type that takes attributes (a named type is referenced by its name alone).",
                    path),
            };
        }

        private static PrimitiveSchema ReadPrimitive(JsonObject obj, SchemaType type)
        {
            var logicalType = AvroLogicalTypes.Resolve(obj, type, 0, out var usesPrecisionAndScale);
            var properties = Properties(obj, logicalType is null ? TypeOnly : usesPrecisionAndScale ? DecimalAttributes : LogicalAttributes);
            return logicalType is null && properties.Count == 0
                ? PrimitiveSchema.Of(type)
                : new PrimitiveSchema(type, logicalType, properties);
        }

        private RecordSchema ReadRecord(JsonObject obj, string? ns, string path, bool isError)
        {
            var name = ReadName(obj, ns, path, out var recordPath);
            var record = new RecordSchema(name, null, ReadDoc(obj, recordPath), ReadAliases(obj, name.Namespace, recordPath),
                isError, Properties(obj, RecordAttributes));
            Define(record, recordPath);
            var fieldsNode = Required(obj, "fields", "a record", recordPath);
            if (fieldsNode is not JsonArray fieldArray)
            {
                throw new SchemaException($"The 'fields' of record {record.FullName} must be an array, not {Describe(fieldsNode)}.", recordPath);
            }

            var fields = new List<Field>(fieldArray.Count);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fieldArray.Count; i++)
            {
                var field = ReadField(fieldArray[i], record, i, recordPath);
                if (!names.Add(field.Name))
                {
                    throw new SchemaException($"Record {record.FullName} declares field '{field.Name}' twice.",
                        SchemaPath.Field(recordPath, field.Name));
                }

                fields.Add(field);
            }

            record.SetFields(fields);
            return record;
        }

        private Field ReadField(JsonNode? node, RecordSchema record, int index, string recordPath)
        {
            if (node is not JsonObject obj)
            {
                throw new SchemaException(
                    $"Field {index} of record {record.FullName} must be a JSON object, not {Describe(node)}.", recordPath);
            }

            var nameNode = Required(obj, "name", $"field {index} of record {record.FullName}", recordPath);
            if (nameNode is not JsonValue nv || !nv.TryGetValue<string>(out var name) || !AvroNames.IsValidName(name))
            {
                throw new SchemaException(
                    $"Field {index} of record {record.FullName} has an invalid name {Describe(nameNode)}: a name must match [A-Za-z_][A-Za-z0-9_]*.",
                    recordPath);
            }

            var path = SchemaPath.Field(recordPath, name);
            var schema = ReadSchema(Required(obj, "type", $"field '{name}'", path), record.Name.Namespace, path);
            var order = SortOrder.Ascending;
            if (obj.TryGetPropertyValue("order", out var orderNode))
            {
                order = (orderNode as JsonValue)?.TryGetValue<string>(out var o) == true ? o switch
                {
                    "ascending" => SortOrder.Ascending,
                    "descending" => SortOrder.Descending,
                    "ignore" => SortOrder.Ignore,
                    _ => throw InvalidOrder(),
                } : throw InvalidOrder();

                SchemaException InvalidOrder() => new(
                    $"The 'order' of field '{name}' must be \"ascending\", \"descending\" or \"ignore\", not {Describe(orderNode)}.", path);
            }

            var aliases = new List<string>();
            if (obj.TryGetPropertyValue("aliases", out var aliasNode))
            {
                foreach (var alias in StringArray(aliasNode, $"The 'aliases' of field '{name}'", path))
                {
                    if (!AvroNames.IsValidName(alias))
                    {
                        throw new SchemaException($"Field '{name}' has an invalid alias '{alias}': a field alias must match [A-Za-z_][A-Za-z0-9_]*.", path);
                    }

                    aliases.Add(alias);
                }
            }

            var hasDefault = obj.TryGetPropertyValue("default", out var defaultNode);
            var field = new Field(name, schema, ReadDoc(obj, path), hasDefault, Detached(defaultNode), order, aliases,
                Properties(obj, FieldAttributes));
            if (hasDefault)
            {
                _defaults.Add((field, path));
            }

            return field;
        }

        private EnumSchema ReadEnum(JsonObject obj, string? ns, string path)
        {
            var name = ReadName(obj, ns, path, out var enumPath);
            var symbols = StringArray(Required(obj, "symbols", "an enum", enumPath), $"The 'symbols' of enum {name.FullName}", enumPath);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var symbol in symbols)
            {
                if (!AvroNames.IsValidName(symbol))
                {
                    throw new SchemaException(
                        $"Enum {name.FullName} has an invalid symbol '{symbol}': a symbol must match [A-Za-z_][A-Za-z0-9_]*.", enumPath);
                }

                if (!seen.Add(symbol))
                {
                    throw new SchemaException($"Enum {name.FullName} declares symbol '{symbol}' twice.", enumPath);
                }
            }

            string? defaultSymbol = null;
            if (obj.TryGetPropertyValue("default", out var defaultNode))
            {
                if (defaultNode is not JsonValue dv || !dv.TryGetValue(out defaultSymbol) || !seen.Contains(defaultSymbol))
                {
                    throw new SchemaException(
                        $"The default of enum {name.FullName} must be one of its symbols ({string.Join(", ", symbols)}), not {Describe(defaultNode)}.",
                        enumPath);
                }
            }

            var schema = new EnumSchema(name, symbols, defaultSymbol, ReadDoc(obj, enumPath),
                ReadAliases(obj, name.Namespace, enumPath), Properties(obj, EnumAttributes));
            Define(schema, enumPath);
            return schema;
        }

        private FixedSchema ReadFixed(JsonObject obj, string? ns, string path)
        {
            var name = ReadName(obj, ns, path, out var fixedPath);
            var sizeNode = Required(obj, "size", "a fixed", fixedPath);
            // The canonical form's INTEGERS rule strips quotes around integers, so a quoted size is accepted.
            var size = -1;
            var valid = sizeNode is JsonValue sv
                && (JsonNumber.TryGetInt32(sv, out size)
                    || (sv.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size)));
            if (!valid || size < 0)
            {
                throw new SchemaException(
                    $"The 'size' of fixed {name.FullName} must be a non-negative integer, not {Describe(sizeNode)}.", fixedPath);
            }

            var logicalType = AvroLogicalTypes.Resolve(obj, SchemaType.Fixed, size, out var usesPrecisionAndScale);
            var reserved = logicalType is null ? FixedAttributes : usesPrecisionAndScale ? FixedDecimalAttributes : FixedLogicalAttributes;
            var schema = new FixedSchema(name, size, logicalType, ReadDoc(obj, fixedPath), ReadAliases(obj, name.Namespace, fixedPath),
                Properties(obj, reserved));
            Define(schema, fixedPath);
            return schema;
        }

        /// <summary>Reads 'name' and 'namespace'; the path of a named type's own nodes starts at its full name when it is the root.</summary>
        private static SchemaName ReadName(JsonObject obj, string? ns, string path, out string ownPath)
        {
            var nameNode = Required(obj, "name", "a named type", path);
            if (nameNode is not JsonValue nv || !nv.TryGetValue<string>(out var name))
            {
                throw new SchemaException($"The 'name' of a named type must be a string, not {Describe(nameNode)}.", path);
            }

            var own = ns;
            if (obj.TryGetPropertyValue("namespace", out var nsNode) && nsNode is not null)
            {
                if (nsNode is not JsonValue nsv || !nsv.TryGetValue(out own))
                {
                    throw new SchemaException($"The 'namespace' of {name} must be a string, not {Describe(nsNode)}.", path);
                }
            }

            SchemaName parsed;
            if (name.Contains('.'))
            {
                // A dotted name carries its own namespace and the 'namespace' attribute is ignored.
                parsed = SchemaName.Parse(name, null);
            }
            else
            {
                parsed = new SchemaName(name, string.IsNullOrEmpty(own) ? null : own);
            }

            ownPath = path.Length == 0 ? parsed.FullName : path;
            if (!AvroNames.IsValidName(parsed.Name))
            {
                throw new SchemaException(
                    $"'{name}' is not a valid name: each part must match [A-Za-z_][A-Za-z0-9_]*.", ownPath);
            }

            if (parsed.Namespace is not null && !AvroNames.IsValidNamespace(parsed.Namespace))
            {
                throw new SchemaException(
                    $"'{parsed.Namespace}' is not a valid namespace for {parsed.Name}: each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*.",
                    ownPath);
            }

            if (AvroNames.Primitive(parsed.Name) is not null)
            {
                throw new SchemaException(
                    $"A named type may not be called '{parsed.Name}', the name of a primitive type.", ownPath);
            }

            return parsed;
        }

        private static IReadOnlyList<SchemaName>? ReadAliases(JsonObject obj, string? ns, string path)
        {
            if (!obj.TryGetPropertyValue("aliases", out var node))
            {
                return null;
            }

            var aliases = new List<SchemaName>();
            foreach (var alias in StringArray(node, "The 'aliases' of a named type", path))
            {
                var parsed = alias.Length == 0 ? null : SchemaName.Parse(alias, ns);
                if (parsed is null || !AvroNames.IsValidName(parsed.Name)
                    || (parsed.Namespace is not null && !AvroNames.IsValidNamespace(parsed.Namespace)))
                {
                    throw new SchemaException(
                        $"'{alias}' is not a valid alias: each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*.", path);
                }

                aliases.Add(parsed);
            }

            return aliases;
        }

        private void Define(NamedSchema schema, string path)
        {
            if (_names.TryGetValue(schema.FullName, out var previous))
            {
                throw new SchemaException(
                    $"The type {schema.FullName} is defined twice (first at '{previous.Path}').", path);
            }

            if (resolveName?.Invoke(schema.FullName) is not null)
            {
                throw new SchemaException(
                    $"The type {schema.FullName} is already defined by a referenced schema and may not be redefined.", path);
            }

            _names.Add(schema.FullName, (schema, path));
        }

        private static string? ReadDoc(JsonObject obj, string path)
        {
            if (!obj.TryGetPropertyValue("doc", out var node) || node is null)
            {
                return null;
            }

            return node is JsonValue v && v.TryGetValue<string>(out var doc)
                ? doc
                : throw new SchemaException($"'doc' must be a string, not {Describe(node)}.", path);
        }

        private static JsonNode Required(JsonObject obj, string attribute, string what, string path) =>
            obj.TryGetPropertyValue(attribute, out var node) && node is not null
                ? node
                : throw new SchemaException($"{Capitalize(what)} must have a '{attribute}' attribute.", path);

        private static List<string> StringArray(JsonNode? node, string what, string path)
        {
            if (node is not JsonArray array)
            {
                throw new SchemaException($"{what} must be an array of strings, not {Describe(node)}.", path);
            }

            var list = new List<string>(array.Count);
            foreach (var item in array)
            {
                if (item is not JsonValue v || !v.TryGetValue<string>(out var s))
                {
                    throw new SchemaException($"{what} must be an array of strings; found {Describe(item)}.", path);
                }

                list.Add(s);
            }

            return list;
        }

        private static IReadOnlyDictionary<string, JsonNode?> Properties(JsonObject obj, HashSet<string> reserved)
        {
            Dictionary<string, JsonNode?>? properties = null;
            foreach (var (key, value) in obj)
            {
                if (!reserved.Contains(key))
                {
                    (properties ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal))[key] = Detached(value);
                }
            }

            return properties ?? (IReadOnlyDictionary<string, JsonNode?>)new Dictionary<string, JsonNode?>(0);
        }

        private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
    }

    /// <summary>
    /// A copy of <paramref name="node"/> that belongs to no document and whose children are all created: a parsed
    /// node creates them lazily on first access, which is not safe when several threads read one schema.
    /// </summary>
    private static JsonNode? Detached(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Materialize(copy);
        return copy;

        static void Materialize(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        Materialize(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Materialize(child);
                    }

                    break;
            }
        }
    }

    /// <summary>A short rendering of a JSON node for messages.</summary>
    internal static string Describe(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        var text = node.ToJsonString();
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    private static readonly HashSet<string> TypeOnly = ["type"];
    private static readonly HashSet<string> LogicalAttributes = ["type", "logicalType"];
    private static readonly HashSet<string> DecimalAttributes = ["type", "logicalType", "precision", "scale"];
    private static readonly HashSet<string> ArrayAttributes = ["type", "items"];
    private static readonly HashSet<string> MapAttributes = ["type", "values"];
    private static readonly HashSet<string> RecordAttributes = ["type", "name", "namespace", "doc", "aliases", "fields"];
    private static readonly HashSet<string> EnumAttributes = ["type", "name", "namespace", "doc", "aliases", "symbols", "default"];
    private static readonly HashSet<string> FixedAttributes = ["type", "name", "namespace", "doc", "aliases", "size"];
    private static readonly HashSet<string> FixedLogicalAttributes = [.. FixedAttributes, "logicalType"];
    private static readonly HashSet<string> FixedDecimalAttributes = [.. FixedAttributes, "logicalType", "precision", "scale"];
    private static readonly HashSet<string> FieldAttributes = ["name", "type", "doc", "default", "order", "aliases"];
}
