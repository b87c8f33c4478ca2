using System.Globalization;
using System.Text.RegularExpressions;
using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Expressions;

/// <summary>
/// Compiles the pipeline expression language (SQL-like: arithmetic, comparison, AND/OR/NOT with
/// three-valued logic, ||, LIKE, IN, BETWEEN, IS [NOT] NULL, CASE, CAST and functions) against a
/// record schema into a delegate. Null propagates through operators and functions except where noted
/// (coalesce, concat, IS NULL, AND/OR). Errors name the expression, the column and the position.
/// See docs/pipelines.md for the full reference.
/// </summary>
public static partial class ExpressionCompiler
{
    /// <summary>Compiles <paramref name="text"/> against <paramref name="schema"/>.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="schema">The schema of the records it will run on.</param>
    /// <param name="column">The column the expression is for (a derived field, a filter), for messages.</param>
    /// <exception cref="ExpressionException">The expression does not parse or type-check.</exception>
    public static CompiledExpression Compile(string text, RecordSchema schema, string? column = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var binder = new Binder(text, schema, column);
        var bound = binder.Bind(Parser.Parse(text, column));
        var evaluate = bound.Eval;
        Func<GenericRecord, object?> result = bound.Kind switch
        {
            ValueKind.Decimal => ToModelDecimal(evaluate, bound.Scale),
            _ => evaluate,
        };
        return new CompiledExpression(text, bound.Kind, Binder.ResultSchema(bound), result);
    }

    /// <summary>Checks the syntax of <paramref name="text"/> without a schema (types are checked by <see cref="Compile"/>).</summary>
    /// <exception cref="ExpressionException">The expression does not parse.</exception>
    public static void Validate(string text, string? column = null) => Parser.Parse(text, column);

    /// <summary>Compiles a condition: the expression must be boolean (a null result counts as false where it is used).</summary>
    public static CompiledExpression CompilePredicate(string text, RecordSchema schema, string? column = null)
    {
        var compiled = Compile(text, schema, column);
        return compiled.Kind is ValueKind.Boolean or ValueKind.Null
            ? compiled
            : throw new ExpressionException(text, 1, column, $"A condition must be boolean but this expression is {compiled.Kind.ToString().ToLowerInvariant()}");
    }

    private static Func<GenericRecord, object?> ToModelDecimal(Func<GenericRecord, object?> evaluate, int scale) => record =>
        evaluate(record) is decimal d
            ? DecimalValue.FromDecimal(decimal.Round(d, scale, MidpointRounding.AwayFromZero)).Rescale(scale)
            : null;

    [GeneratedRegex(@"[.$^{\[(|)*+?\\]")]
    private static partial Regex RegexSpecials();

    /// <summary>Turns a LIKE pattern (% any run, _ one character) into an anchored regular expression.</summary>
    internal static Regex LikeRegex(string pattern)
    {
        var escaped = RegexSpecials().Replace(pattern, m => "\\" + m.Value);
        return new Regex("^" + escaped.Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    internal static string KindName(ValueKind kind) => kind.ToString().ToLowerInvariant();

    internal static CultureInfo Invariant => CultureInfo.InvariantCulture;
}
