namespace Streams.Pipelines.Expressions;

/// <summary>Splits an expression into tokens: identifiers (bare, "double" or `back` quoted), numbers, 'strings' and symbols.</summary>
internal static class Lexer
{
    private static readonly string[] Symbols = ["<=", ">=", "<>", "!=", "==", "||", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "."];

    public static List<Token> Tokenize(string text, string? column)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start + 1));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                var kind = TokenKind.Integer;
                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    kind = TokenKind.Number;
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    kind = TokenKind.Number;
                    i++;
                    if (i < text.Length && text[i] is '+' or '-')
                    {
                        i++;
                    }

                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(kind, text[start..i], start + 1));
            }
            else if (c is '\'' or '"' or '`')
            {
                var value = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new ExpressionException(text, start + 1, column, c == '\'' ? "Unterminated string literal" : "Unterminated quoted identifier");
                    }

                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(c == '\'' ? TokenKind.String : TokenKind.QuotedIdentifier, value.ToString(), start + 1));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw new ExpressionException(text, start + 1, column, $"Unexpected character '{c}'");
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start + 1));
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
        return tokens;
    }
}
