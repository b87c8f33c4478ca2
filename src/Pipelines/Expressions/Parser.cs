using System.Globalization;

namespace Streams.Pipelines.Expressions;

/// <summary>
/// Recursive-descent parser. Precedence, lowest first: OR; AND; NOT; comparison (= == != &lt;&gt; &lt; &lt;=
/// &gt; &gt;=, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, [NOT] LIKE); ||; + -; * / %; unary -.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly string? _column;
    private readonly List<Token> _tokens;
    private int _index;

    private Parser(string text, string? column)
    {
        _text = text;
        _column = column;
        _tokens = Lexer.Tokenize(text, column);
    }

    public static Syntax Parse(string text, string? column)
    {
        var parser = new Parser(text, column);
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new ExpressionException(text, 1, column, "The expression is empty");
        }

        var syntax = parser.Or();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Error(parser.Current, $"Unexpected '{parser.Current.Text}' after a complete expression");
        }

        return syntax;
    }

    private Token Current => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private ExpressionException Error(Token at, string detail) => new(_text, at.Position, _column, detail);

    private bool AcceptKeyword(string keyword)
    {
        if (Current.IsKeyword(keyword))
        {
            _index++;
            return true;
        }

        return false;
    }

    private bool AcceptSymbol(string symbol)
    {
        if (Current.IsSymbol(symbol))
        {
            _index++;
            return true;
        }

        return false;
    }

    private void ExpectSymbol(string symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Error(Current, Current.Kind == TokenKind.End ? $"Expected '{symbol}' but the expression ended" : $"Expected '{symbol}' but found '{Current.Text}'");
        }
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
        {
            throw Error(Current, Current.Kind == TokenKind.End ? $"Expected {keyword} but the expression ended" : $"Expected {keyword} but found '{Current.Text}'");
        }
    }

    private Syntax Or()
    {
        var left = And();
        while (Current.IsKeyword("OR"))
        {
            var op = Next();
            left = new BinarySyntax("OR", left, And(), op.Position);
        }

        return left;
    }

    private Syntax And()
    {
        var left = Not();
        while (Current.IsKeyword("AND"))
        {
            var op = Next();
            left = new BinarySyntax("AND", left, Not(), op.Position);
        }

        return left;
    }

    private Syntax Not()
    {
        if (Current.IsKeyword("NOT"))
        {
            var op = Next();
            return new UnarySyntax("NOT", Not(), op.Position);
        }

        return Comparison();
    }

    private Syntax Comparison()
    {
        var left = Concat();
        var token = Current;
        if (token.Kind == TokenKind.Symbol && token.Text is "=" or "==" or "!=" or "<>" or "<" or "<=" or ">" or ">=")
        {
            _index++;
            var op = token.Text switch { "==" => "=", "<>" => "!=", _ => token.Text };
            return new BinarySyntax(op, left, Concat(), token.Position);
        }

        if (AcceptKeyword("IS"))
        {
            var negated = AcceptKeyword("NOT");
            ExpectKeyword("NULL");
            return new IsNullSyntax(left, negated, token.Position);
        }

        var not = Current.IsKeyword("NOT") && (_tokens[_index + 1].IsKeyword("IN") || _tokens[_index + 1].IsKeyword("BETWEEN") || _tokens[_index + 1].IsKeyword("LIKE"));
        if (not)
        {
            _index++;
        }

        if (AcceptKeyword("IN"))
        {
            ExpectSymbol("(");
            var items = new List<Syntax> { Or() };
            while (AcceptSymbol(","))
            {
                items.Add(Or());
            }

            ExpectSymbol(")");
            return new InSyntax(left, items, not, token.Position);
        }

        if (AcceptKeyword("BETWEEN"))
        {
            var low = Concat();
            ExpectKeyword("AND");
            return new BetweenSyntax(left, low, Concat(), not, token.Position);
        }

        if (AcceptKeyword("LIKE"))
        {
            var like = new BinarySyntax("LIKE", left, Concat(), token.Position);
            return not ? new UnarySyntax("NOT", like, token.Position) : like;
        }

        return left;
    }

    private Syntax Concat()
    {
        var left = Additive();
        while (Current.IsSymbol("||"))
        {
            var op = Next();
            left = new BinarySyntax("||", left, Additive(), op.Position);
        }

        return left;
    }

    private Syntax Additive()
    {
        var left = Multiplicative();
        while (Current.IsSymbol("+") || Current.IsSymbol("-"))
        {
            var op = Next();
            left = new BinarySyntax(op.Text, left, Multiplicative(), op.Position);
        }

        return left;
    }

    private Syntax Multiplicative()
    {
        var left = Unary();
        while (Current.IsSymbol("*") || Current.IsSymbol("/") || Current.IsSymbol("%"))
        {
            var op = Next();
            left = new BinarySyntax(op.Text, left, Unary(), op.Position);
        }

        return left;
    }

    private Syntax Unary()
    {
        if (Current.IsSymbol("-"))
        {
            var op = Next();
            return new UnarySyntax("-", Unary(), op.Position);
        }

        if (Current.IsSymbol("+"))
        {
            _index++;
        }

        return Primary();
    }

    private Syntax Primary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Integer:
                return long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                    ? new LiteralSyntax(integer is >= int.MinValue and <= int.MaxValue ? (object)(int)integer : integer, token.Position)
                    : throw Error(token, $"Integer literal {token.Text} is out of range");
            case TokenKind.Number:
                return new LiteralSyntax(double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), token.Position);
            case TokenKind.String:
                return new LiteralSyntax(token.Text, token.Position);
            case TokenKind.QuotedIdentifier:
                return FieldPath(token);
            case TokenKind.Symbol when token.Text == "(":
                var inner = Or();
                ExpectSymbol(")");
                return inner;
            case TokenKind.Identifier:
                if (token.IsKeyword("NULL"))
                {
                    return new LiteralSyntax(null, token.Position);
                }

                if (token.IsKeyword("TRUE") || token.IsKeyword("FALSE"))
                {
                    return new LiteralSyntax(token.IsKeyword("TRUE"), token.Position);
                }

                if (token.IsKeyword("CASE"))
                {
                    return Case(token);
                }

                if (token.IsKeyword("CAST") && Current.IsSymbol("("))
                {
                    _index++;
                    var operand = Or();
                    ExpectKeyword("AS");
                    var type = Type();
                    ExpectSymbol(")");
                    return new CastSyntax(operand, type, token.Position);
                }

                if (Current.IsSymbol("("))
                {
                    _index++;
                    var arguments = new List<Syntax>();
                    if (!AcceptSymbol(")"))
                    {
                        do
                        {
                            arguments.Add(Or());
                        }
                        while (AcceptSymbol(","));

                        ExpectSymbol(")");
                    }

                    return new CallSyntax(token.Text.ToLowerInvariant(), arguments, token.Position);
                }

                if (token.Text.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IS" or "IN" or "THEN" or "ELSE" or "END" or "WHEN" or "AS" or "BETWEEN" or "LIKE")
                {
                    throw Error(token, $"Expected a value but found keyword {token.Text.ToUpperInvariant()}");
                }

                return FieldPath(token);
            case TokenKind.End:
                throw Error(token, "Expected a value but the expression ended");
            default:
                throw Error(token, $"Expected a value but found '{token.Text}'");
        }
    }

    private FieldSyntax FieldPath(Token first)
    {
        var path = new List<string> { first.Text };
        while (Current.IsSymbol(".") && _tokens[_index + 1].Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier)
        {
            _index++;
            path.Add(Next().Text);
        }

        return new FieldSyntax(path, first.Position);
    }

    private CaseSyntax Case(Token start)
    {
        Syntax? operand = Current.IsKeyword("WHEN") ? null : Or();
        var branches = new List<(Syntax, Syntax)>();
        while (AcceptKeyword("WHEN"))
        {
            var when = Or();
            ExpectKeyword("THEN");
            branches.Add((when, Or()));
        }

        if (branches.Count == 0)
        {
            throw Error(Current, "CASE needs at least one WHEN ... THEN");
        }

        var otherwise = AcceptKeyword("ELSE") ? Or() : null;
        ExpectKeyword("END");
        return new CaseSyntax(operand, branches, otherwise, start.Position);
    }

    private TypeSyntax Type()
    {
        var token = Next();
        if (token.Kind != TokenKind.Identifier)
        {
            throw Error(token, $"Expected a type name but found '{token.Text}'");
        }

        var name = token.Text.ToLowerInvariant();
        if (name == "double" && Current.IsKeyword("precision"))
        {
            _index++;
        }

        int precision = 0, scale = 0;
        if (AcceptSymbol("("))
        {
            precision = IntegerArgument();
            if (AcceptSymbol(","))
            {
                scale = IntegerArgument();
            }

            ExpectSymbol(")");
        }

        return new TypeSyntax(name, precision, scale, token.Position);
    }

    private int IntegerArgument()
    {
        var token = Next();
        return token.Kind == TokenKind.Integer && int.TryParse(token.Text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(token, $"Expected an integer but found '{token.Text}'");
    }
}
