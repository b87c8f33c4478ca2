using System.Globalization;
using Streams.Formats.Model;

namespace Streams.Catalog.Schemas;

/// <summary>
/// Converts between the record model and Glue/Hive column type strings: <c>int</c>, <c>bigint</c>, <c>double</c>,
/// <c>string</c>, <c>decimal(10,2)</c>, <c>struct&lt;a:int,b:string&gt;</c>, <c>array&lt;bigint&gt;</c>,
/// <c>map&lt;string,int&gt;</c>. A choice type (a column whose files disagree, e.g. int in one and string
/// in another) is a union in the model and <c>uniontype&lt;int,string&gt;</c> as a string, Hive's name for it;
/// pipelines resolve it with resolve-choice. Nullability is not part of a Glue type: every column may be null.
/// </summary>
public static class GlueTypes
{
    /// <summary>The Glue type string of <paramref name="schema"/>; a nullable union maps to its non-null branch.</summary>
    public static string ToTypeString(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema is UnionSchema union)
        {
            var branches = union.Branches.Where(b => !b.IsNull).ToList();
            return branches.Count switch
            {
                0 => "string",
                1 => ToTypeString(branches[0]),
                _ => $"uniontype<{string.Join(",", branches.Select(ToTypeString))}>",
            };
        }

        switch (schema.LogicalType?.Name)
        {
            case LogicalType.DecimalName:
                return string.Create(CultureInfo.InvariantCulture, $"decimal({schema.LogicalType.Precision},{schema.LogicalType.Scale})");
            case LogicalType.DateName:
                return "date";
            case var name when schema.LogicalType is { IsTimestamp: true } && name is not (LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName):
                return "timestamp";
        }

        return schema switch
        {
            RecordSchema record => $"struct<{string.Join(",", record.Fields.Select(f => $"{f.Name}:{ToTypeString(f.Schema)}"))}>",
            ArraySchema array => $"array<{ToTypeString(array.Items)}>",
            MapSchema map => $"map<string,{ToTypeString(map.Values)}>",
            EnumSchema => "string",
            FixedSchema => "binary",
            _ => schema.Type switch
            {
                SchemaType.Null => "string",
                SchemaType.Boolean => "boolean",
                SchemaType.Int => "int",
                SchemaType.Long => "bigint",
                SchemaType.Float => "float",
                SchemaType.Double => "double",
                SchemaType.Bytes => "binary",
                _ => "string",
            },
        };
    }

    /// <summary>
    /// Parses a Glue type string into a (nullable) schema. Struct types become records named
    /// <paramref name="recordName"/> plus the field path.
    /// </summary>
    /// <exception cref="FormatException">The string is not a Glue type.</exception>
    public static Schema Parse(string type, string recordName = "record")
    {
        ArgumentNullException.ThrowIfNull(type);
        var parser = new Parser(type);
        var schema = parser.ParseType(recordName);
        parser.End();
        return schema;
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public void End()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                throw Error("unexpected text");
            }
        }

        public Schema ParseType(string recordName)
        {
            var word = Word().ToLowerInvariant();
            switch (word)
            {
                case "string" or "varchar" or "char":
                    SkipLength();
                    return PrimitiveSchema.String;
                case "int" or "integer" or "smallint" or "tinyint":
                    return PrimitiveSchema.Int;
                case "bigint":
                    return PrimitiveSchema.Long;
                case "float":
                    return PrimitiveSchema.Float;
                case "double":
                    return PrimitiveSchema.Double;
                case "boolean":
                    return PrimitiveSchema.Boolean;
                case "binary":
                    return PrimitiveSchema.Bytes;
                case "date":
                    return new PrimitiveSchema(SchemaType.Int, LogicalType.Date);
                case "timestamp":
                    return new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
                case "decimal":
                {
                    var precision = 10;
                    var scale = 0;
                    if (TryAccept('('))
                    {
                        precision = Number();
                        if (TryAccept(','))
                        {
                            scale = Number();
                        }

                        Accept(')');
                    }

                    return new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(precision, scale));
                }

                case "array":
                {
                    Accept('<');
                    var items = ParseType(recordName);
                    Accept('>');
                    return new ArraySchema(UnionSchema.Nullable(items));
                }

                case "map":
                {
                    Accept('<');
                    ParseType(recordName);
                    Accept(',');
                    var values = ParseType(recordName);
                    Accept('>');
                    return new MapSchema(UnionSchema.Nullable(values));
                }

                case "struct":
                {
                    Accept('<');
                    var fields = new List<Field>();
                    if (!TryAccept('>'))
                    {
                        do
                        {
                            var name = Word();
                            Accept(':');
                            fields.Add(new Field(name, UnionSchema.Nullable(ParseType($"{recordName}_{name}"))));
                        }
                        while (TryAccept(','));

                        Accept('>');
                    }

                    return new RecordSchema(new SchemaName(recordName, null), fields);
                }

                case "uniontype":
                {
                    Accept('<');
                    var branches = new List<Schema>();
                    do
                    {
                        branches.Add(ParseType($"{recordName}_{branches.Count}"));
                    }
                    while (TryAccept(','));

                    Accept('>');
                    try
                    {
                        return new UnionSchema(branches);
                    }
                    catch (SchemaException e)
                    {
                        throw Error(e.Message);
                    }
                }

                default:
                    throw Error($"unknown type '{word}'");
            }
        }

        private void SkipLength()
        {
            if (TryAccept('('))
            {
                Number();
                Accept(')');
            }
        }

        private string Word()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '-' or '$' or '.'))
            {
                _position++;
            }

            if (start == _position && _position < text.Length && text[_position] == '`')
            {
                var end = text.IndexOf('`', _position + 1);
                if (end < 0)
                {
                    throw Error("unterminated `");
                }

                _position = end + 1;
                return text[(start + 1)..end];
            }

            return start == _position ? throw Error("expected a name") : text[start.._position];
        }

        private int Number()
        {
            var word = Word();
            return int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Error($"'{word}' is not a number");
        }

        private bool TryAccept(char c)
        {
            SkipSpace();
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Accept(char c)
        {
            if (!TryAccept(c))
            {
                throw Error($"expected '{c}'");
            }
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Error(string detail) =>
            new($"'{text}' is not a Glue type: {detail} at position {_position}.");
    }
}
