namespace Streams.Pipelines.Expressions;

/// <summary>The kinds of token of the expression language.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    QuotedIdentifier,
    Integer,
    Number,
    String,
    Symbol,
}

/// <summary>A token: its kind, text (unquoted for strings and quoted identifiers) and 1-based position.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
}
