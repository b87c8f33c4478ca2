namespace Streams.Pipelines.Expressions;

/// <summary>An expression does not parse or does not type-check. Names the expression, the column and the position.</summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="expression">The expression text.</param>
    /// <param name="position">The 1-based character position of the error in the expression.</param>
    /// <param name="column">The column the expression defines or filters on (e.g. a derived field), or the field it refers to.</param>
    /// <param name="detail">What is wrong.</param>
    public ExpressionException(string expression, int position, string? column, string detail)
        : base($"{detail} at position {position} in expression '{expression}'{(column is null ? "" : $" (column '{column}')")}.")
    {
        Expression = expression;
        Position = position;
        Column = column;
        Detail = detail;
    }

    /// <summary>The expression text.</summary>
    public string Expression { get; }

    /// <summary>The 1-based position of the error.</summary>
    public int Position { get; }

    /// <summary>The column concerned, or null.</summary>
    public string? Column { get; }

    /// <summary>The error without the location.</summary>
    public string Detail { get; }
}
