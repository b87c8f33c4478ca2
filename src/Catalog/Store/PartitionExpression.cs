using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Streams.Catalog.Model;

namespace Streams.Catalog.Store;

/// <summary>
/// A Glue partition filter such as <c>year='2024' AND month&gt;'03'</c>: comparisons (<c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>),
/// <c>BETWEEN</c>, <c>[NOT] IN</c>, <c>[NOT] LIKE</c>, <c>IS [NOT] NULL</c>, combined with <c>AND</c>, <c>OR</c>,
/// <c>NOT</c> and parentheses, over partition keys. Values compare by the key's type: numerically for
/// integer, floating and decimal keys, as dates for <c>date</c> keys, otherwise as text.
/// </summary>
public sealed class PartitionExpression
{
    private readonly Func<IReadOnlyList<string>, bool> _predicate;

    private PartitionExpression(Func<IReadOnlyList<string>, bool> predicate) => _predicate = predicate;

    /// <summary>True when a partition with <paramref name="values"/> (in key order) satisfies the filter.</summary>
    public bool Matches(IReadOnlyList<string> values) => _predicate(values);

    /// <summary>Parses <paramref name="expression"/> against the table's partition keys.</summary>
    /// <exception cref="InvalidInputException">The expression is malformed or names an unknown key.</exception>
    public static PartitionExpression Parse(string expression, IReadOnlyList<Column> keys) =>
        new(new Parser(expression, keys).ParseAll());

    /// <summary>True when <paramref name="value"/> is a value of the partition key type <paramref name="type"/>.</summary>
    public static bool IsValidValue(string value, string? type) => TryKey(value, KindOf(type), out _);

    private enum Kind
    {
        Text,
        Integer,
        Real,
        Date,
    }

    private static Kind KindOf(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "int" or "integer" or "bigint" or "smallint" or "tinyint" => Kind.Integer,
        "double" or "float" => Kind.Real,
        var t when t is not null && t.StartsWith("decimal", StringComparison.Ordinal) => Kind.Real,
        "date" => Kind.Date,
        _ => Kind.Text,
    };

    private static bool TryKey(string text, Kind kind, out IComparable key)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case Kind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l):
                key = l;
                return true;
            case Kind.Real when double.TryParse(text, NumberStyles.Float, invariant, out var d):
                key = d;
                return true;
            case Kind.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date):
                key = date;
                return true;
            case Kind.Text:
                key = text;
                return true;
            default:
                key = text;
                return false;
        }
    }

    private sealed class Parser(string text, IReadOnlyList<Column> keys)
    {
        private readonly List<string> _tokens = Tokenize(text);
        private int _position;

        public Func<IReadOnlyList<string>, bool> ParseAll()
        {
            var result = ParseOr();
            if (_position < _tokens.Count)
            {
                throw Error($"unexpected '{_tokens[_position]}'");
            }

            return result;
        }

        private Func<IReadOnlyList<string>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (Accept("OR"))
            {
                var l = left;
                var r = ParseAnd();
                left = v => l(v) || r(v);
            }

            return left;
        }

        private Func<IReadOnlyList<string>, bool> ParseAnd()
        {
            var left = ParseNot();
            while (Accept("AND"))
            {
                var l = left;
                var r = ParseNot();
                left = v => l(v) && r(v);
            }

            return left;
        }

        private Func<IReadOnlyList<string>, bool> ParseNot()
        {
            if (Accept("NOT"))
            {
                var inner = ParseNot();
                return v => !inner(v);
            }

            if (Accept("("))
            {
                var inner = ParseOr();
                Expect(")");
                return inner;
            }

            return ParseComparison();
        }

        private Func<IReadOnlyList<string>, bool> ParseComparison()
        {
            var name = Next("a partition key");
            if (name.StartsWith('`') || name.StartsWith('"'))
            {
                name = name[1..^1];
            }

            var index = -1;
            for (var i = 0; i < keys.Count; i++)
            {
                if (string.Equals(keys[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                throw Error($"'{name}' is not a partition key (keys: {string.Join(", ", keys.Select(k => k.Name))})");
            }

            var kind = KindOf(keys[index].Type);
            if (Accept("IS"))
            {
                var negate = Accept("NOT");
                Expect("NULL");
                // Partition values are never null; Hive writes a null as __HIVE_DEFAULT_PARTITION__.
                return v => (v[index] == "__HIVE_DEFAULT_PARTITION__") != negate;
            }

            var not = Accept("NOT");
            if (Accept("BETWEEN"))
            {
                var low = Literal(kind);
                Expect("AND");
                var high = Literal(kind);
                return v => Key(v, index, kind) is { } k && (k.CompareTo(low) >= 0 && k.CompareTo(high) <= 0) != not;
            }

            if (Accept("IN"))
            {
                Expect("(");
                var set = new List<IComparable> { Literal(kind) };
                while (Accept(","))
                {
                    set.Add(Literal(kind));
                }

                Expect(")");
                return v => Key(v, index, kind) is { } k && set.Any(s => s.CompareTo(k) == 0) != not;
            }

            if (Accept("LIKE"))
            {
                var pattern = LikeToRegex(StringLiteral());
                return v => pattern.IsMatch(v[index]) != not;
            }

            if (not)
            {
                throw Error("expected BETWEEN, IN or LIKE after NOT");
            }

            var op = Next("a comparison operator");
            var value = Literal(kind);
            Func<int, bool> test = op switch
            {
                "=" => c => c == 0,
                "!=" or "<>" => c => c != 0,
                "<" => c => c < 0,
                "<=" => c => c <= 0,
                ">" => c => c > 0,
                ">=" => c => c >= 0,
                _ => throw Error($"'{op}' is not a comparison operator"),
            };
            return v => Key(v, index, kind) is { } k && test(k.CompareTo(value));
        }

        private static IComparable? Key(IReadOnlyList<string> values, int index, Kind kind) =>
            index < values.Count && TryKey(values[index], kind, out var key) ? key : null;

        private IComparable Literal(Kind kind)
        {
            var token = Next("a value");
            var text = token.StartsWith('\'') ? Unquote(token) : token;
            return TryKey(text, kind, out var key) ? key : throw Error($"'{text}' is not a valid {kind.ToString().ToLowerInvariant()} value");
        }

        private string StringLiteral()
        {
            var token = Next("a quoted pattern");
            return token.StartsWith('\'') ? Unquote(token) : throw Error("LIKE needs a quoted pattern");
        }

        private static string Unquote(string token) => token[1..^1].Replace("''", "'", StringComparison.Ordinal);

        private static Regex LikeToRegex(string pattern)
        {
            var builder = new StringBuilder("^");
            foreach (var c in pattern)
            {
                builder.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }

            return new Regex(builder.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }

        private bool Accept(string token)
        {
            if (_position < _tokens.Count && string.Equals(_tokens[_position], token, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw Error($"expected '{token}'");
            }
        }

        private string Next(string what) =>
            _position < _tokens.Count ? _tokens[_position++] : throw Error($"expected {what} at the end");

        private InvalidInputException Error(string detail) =>
            new($"Invalid partition expression \"{text}\": {detail}.");

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '\'' or '`' or '"')
                {
                    var end = i + 1;
                    while (true)
                    {
                        if (end >= text.Length)
                        {
                            throw new InvalidInputException($"Invalid partition expression \"{text}\": unterminated {c} at {i}.");
                        }

                        if (text[end] == c)
                        {
                            if (c == '\'' && end + 1 < text.Length && text[end + 1] == '\'')
                            {
                                end += 2;
                                continue;
                            }

                            break;
                        }

                        end++;
                    }

                    tokens.Add(text[i..(end + 1)]);
                    i = end + 1;
                }
                else if (c is '(' or ')' or ',')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c is '=' or '<' or '>' or '!')
                {
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                    var op = two is "<=" or ">=" or "<>" or "!=" ? two : c.ToString();
                    tokens.Add(op);
                    i += op.Length;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '=' or '<' or '>' or '!' or '\''))
                    {
                        i++;
                    }

                    tokens.Add(text[start..i]);
                }
            }

            return tokens;
        }
    }
}
