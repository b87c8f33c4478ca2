namespace Streams.Pipelines.Expressions;

/// <summary>A node of a parsed expression; <see cref="Position"/> is 1-based in the source text.</summary>
internal abstract record Syntax(int Position);

internal sealed record LiteralSyntax(object? Value, int Position) : Syntax(Position);

internal sealed record FieldSyntax(IReadOnlyList<string> Path, int Position) : Syntax(Position)
{
    public string Name => string.Join('.', Path);
}

internal sealed record UnarySyntax(string Operator, Syntax Operand, int Position) : Syntax(Position);

internal sealed record BinarySyntax(string Operator, Syntax Left, Syntax Right, int Position) : Syntax(Position);

internal sealed record IsNullSyntax(Syntax Operand, bool Negated, int Position) : Syntax(Position);

internal sealed record InSyntax(Syntax Operand, IReadOnlyList<Syntax> Items, bool Negated, int Position) : Syntax(Position);

internal sealed record BetweenSyntax(Syntax Operand, Syntax Low, Syntax High, bool Negated, int Position) : Syntax(Position);

internal sealed record CallSyntax(string Name, IReadOnlyList<Syntax> Arguments, int Position) : Syntax(Position);

internal sealed record CastSyntax(Syntax Operand, TypeSyntax Type, int Position) : Syntax(Position);

internal sealed record CaseSyntax(Syntax? Operand, IReadOnlyList<(Syntax When, Syntax Then)> Branches, Syntax? Else, int Position) : Syntax(Position);

/// <summary>A type name in CAST: <c>int</c>, <c>decimal(10,2)</c>...</summary>
internal sealed record TypeSyntax(string Name, int Precision, int Scale, int Position);
