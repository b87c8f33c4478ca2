using System.Globalization;
using System.Text.RegularExpressions;
using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Expressions;

/// <summary>The function library of the expression language.</summary>
internal sealed partial class Binder
{
    private static readonly string[] FunctionNames =
    [
        "abs", "ceil", "coalesce", "concat", "contains", "date_add", "date_diff", "date_trunc", "day", "day_of_week", "ends_with", "epoch_millis",
        "floor", "hour", "left", "length", "lower", "ltrim", "minute", "month", "nullif", "regexp_like", "regexp_replace", "replace", "right",
        "round", "rtrim", "second", "starts_with", "substring", "to_date", "to_timestamp", "trim", "upper", "year",
    ];

    private Bound Call(CallSyntax syntax)
    {
        var args = syntax.Arguments.Select(Bind).ToList();
        var bound = syntax.Name switch
        {
            "upper" => String1(syntax, args, s => s.ToUpperInvariant()),
            "lower" => String1(syntax, args, s => s.ToLowerInvariant()),
            "trim" => String1(syntax, args, s => s.Trim()),
            "ltrim" => String1(syntax, args, s => s.TrimStart()),
            "rtrim" => String1(syntax, args, s => s.TrimEnd()),
            "length" => Map(syntax, args, [ValueKind.String], ValueKind.Int, a => ((string)a[0]).Length),
            "substring" => Substring(syntax, args),
            "left" => Map(syntax, args, [ValueKind.String, ValueKind.Int], ValueKind.String,
                a => ((string)a[0])[..Math.Clamp((int)a[1], 0, ((string)a[0]).Length)]),
            "right" => Map(syntax, args, [ValueKind.String, ValueKind.Int], ValueKind.String,
                a => ((string)a[0])[^Math.Clamp((int)a[1], 0, ((string)a[0]).Length)..]),
            "replace" => Map(syntax, args, [ValueKind.String, ValueKind.String, ValueKind.String], ValueKind.String,
                a => ((string)a[1]).Length == 0 ? a[0] : ((string)a[0]).Replace((string)a[1], (string)a[2], StringComparison.Ordinal)),
            "starts_with" => Map(syntax, args, [ValueKind.String, ValueKind.String], ValueKind.Boolean,
                a => ((string)a[0]).StartsWith((string)a[1], StringComparison.Ordinal)),
            "ends_with" => Map(syntax, args, [ValueKind.String, ValueKind.String], ValueKind.Boolean,
                a => ((string)a[0]).EndsWith((string)a[1], StringComparison.Ordinal)),
            "contains" => Map(syntax, args, [ValueKind.String, ValueKind.String], ValueKind.Boolean,
                a => ((string)a[0]).Contains((string)a[1], StringComparison.Ordinal)),
            "regexp_like" => Regex(syntax, args, (re, a) => re.IsMatch((string)a[0])),
            "regexp_replace" => Regex(syntax, args, (re, a) => re.Replace((string)a[0], (string)a[2]), ValueKind.String),
            "concat" => Concat(syntax, args),
            "coalesce" => Coalesce(syntax, args),
            "nullif" => NullIf(syntax, args),
            "abs" => Numeric1(syntax, args, v => v switch { int i => checked(Math.Abs(i)), long l => checked(Math.Abs(l)), decimal d => Math.Abs(d), _ => Math.Abs((double)v) }),
            "floor" => Numeric1(syntax, args, v => v switch { decimal d => Math.Floor(d), double d => Math.Floor(d), _ => v }),
            "ceil" => Numeric1(syntax, args, v => v switch { decimal d => Math.Ceiling(d), double d => Math.Ceiling(d), _ => v }),
            "round" => Round(syntax, args),
            "year" => DatePart(syntax, args, t => t.Year),
            "month" => DatePart(syntax, args, t => t.Month),
            "day" => DatePart(syntax, args, t => t.Day),
            "hour" => DatePart(syntax, args, t => t.Hour),
            "minute" => DatePart(syntax, args, t => t.Minute),
            "second" => DatePart(syntax, args, t => t.Second),
            "day_of_week" => DatePart(syntax, args, t => t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek),
            "epoch_millis" => Map(syntax, args, [ValueKind.Timestamp], ValueKind.Long,
                a => (long)(DateTime.SpecifyKind((DateTime)a[0], DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds),
            "date_trunc" => DateTrunc(syntax, args),
            "date_add" => DateAdd(syntax, args),
            "date_diff" => DateDiff(syntax, args),
            "to_date" => Converted(syntax, args, ValueKind.Date),
            "to_timestamp" => ToTimestamp(syntax, args),
            _ => throw Error(syntax.Position, $"Unknown function '{syntax.Name}' (known: {string.Join(", ", FunctionNames)})"),
        };
        return Fold(bound, [.. args]);
    }

    private void Arity(CallSyntax syntax, IReadOnlyList<Bound> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            var expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw Error(syntax.Position, $"Function '{syntax.Name}' takes {expected} argument{(max == 1 ? "" : "s")} but was given {args.Count}");
        }
    }

    /// <summary>A null-propagating function of arguments coerced to <paramref name="kinds"/>.</summary>
    private Bound Map(CallSyntax syntax, IReadOnlyList<Bound> args, ValueKind[] kinds, ValueKind result, Func<object[], object?> f, int minArgs = -1)
    {
        Arity(syntax, args, minArgs < 0 ? kinds.Length : minArgs, kinds.Length);
        var evals = args.Select((a, i) => CoerceArgument(syntax, a, kinds[i], i).Eval).ToArray();
        return new Bound(result, r =>
        {
            var values = new object[evals.Length];
            for (var i = 0; i < evals.Length; i++)
            {
                if (evals[i](r) is not { } v)
                {
                    return null;
                }

                values[i] = v;
            }

            return f(values);
        }, syntax.Position);
    }

    private Bound CoerceArgument(CallSyntax syntax, Bound arg, ValueKind kind, int index)
    {
        try
        {
            return Coerce(arg, kind);
        }
        catch (ExpressionException)
        {
            throw Error(arg.Position, $"Argument {index + 1} of '{syntax.Name}' must be {ExpressionCompiler.KindName(kind)} but is {ExpressionCompiler.KindName(arg.Kind)}");
        }
    }

    private Bound String1(CallSyntax syntax, IReadOnlyList<Bound> args, Func<string, string> f) =>
        Map(syntax, args, [ValueKind.String], ValueKind.String, a => f((string)a[0]));

    private Bound Substring(CallSyntax syntax, IReadOnlyList<Bound> args) =>
        // SQL semantics: 1-based start; characters before 1 count against the length.
        Map(syntax, args, [ValueKind.String, ValueKind.Int, ValueKind.Int], ValueKind.String, a =>
        {
            var s = (string)a[0];
            var start = (long)(int)a[1] - 1;
            var end = a.Length > 2 ? start + (int)a[2] : s.Length;
            start = Math.Clamp(start, 0, s.Length);
            end = Math.Clamp(end, start, s.Length);
            return s[(int)start..(int)end];
        }, minArgs: 2);

    private Bound Regex(CallSyntax syntax, IReadOnlyList<Bound> args, Func<Regex, object[], object?> f, ValueKind result = ValueKind.Boolean)
    {
        Arity(syntax, args, result == ValueKind.String ? 3 : 2, result == ValueKind.String ? 3 : 2);
        if (!args[1].IsConstant || args[1].ConstantValue is not string pattern)
        {
            throw Error(args[1].Position, $"The pattern of '{syntax.Name}' must be a string literal");
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error(args[1].Position, $"Invalid regular expression: {e.Message}");
        }

        ValueKind[] kinds = result == ValueKind.String ? [ValueKind.String, ValueKind.String, ValueKind.String] : [ValueKind.String, ValueKind.String];
        return Map(syntax, args, kinds, result, a => f(regex, a));
    }

    private Bound Concat(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 1, int.MaxValue);
        var parts = args.Select(a => (a.Eval, Text: Text(a))).ToArray();
        // Like PostgreSQL's concat: null arguments are skipped.
        return new Bound(ValueKind.String, r => string.Concat(parts.Select(p => p.Eval(r) is { } v ? p.Text(v) : "")), syntax.Position);
    }

    private Bound Coalesce(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 1, int.MaxValue);
        var kind = Unify(args, syntax.Position, "coalesce");
        var scale = MaxScale(args);
        var evals = args.Select(a => Coerce(a, kind, scale).Eval).ToArray();
        return new Bound(kind, r =>
        {
            foreach (var eval in evals)
            {
                if (eval(r) is { } v)
                {
                    return v;
                }
            }

            return null;
        }, syntax.Position, scale, kind == ValueKind.Other ? args.First(a => a.Kind != ValueKind.Null).Schema : null);
    }

    private Bound NullIf(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 2, 2);
        var equal = Compare("=", args[0], args[1], syntax.Position).Eval;
        var kind = Unify(args, syntax.Position, "nullif");
        var value = Coerce(args[0], kind).Eval;
        return new Bound(kind, r => equal(r) is true ? null : value(r), syntax.Position, args[0].Scale, args[0].Schema);
    }

    private Bound Numeric1(CallSyntax syntax, IReadOnlyList<Bound> args, Func<object, object> f)
    {
        Arity(syntax, args, 1, 1);
        var arg = args[0];
        if (!IsNumeric(arg.Kind) && arg.Kind != ValueKind.Null)
        {
            throw Error(arg.Position, $"Argument 1 of '{syntax.Name}' must be a number but is {ExpressionCompiler.KindName(arg.Kind)}");
        }

        var eval = arg.Eval;
        return new Bound(arg.Kind, r => eval(r) is { } v ? f(v) : null, syntax.Position, syntax.Name == "abs" ? arg.Scale : 0);
    }

    private Bound Round(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 1, 2);
        var digits = 0;
        if (args.Count == 2)
        {
            if (!args[1].IsConstant || args[1].ConstantValue is not int d || d is < 0 or > 15)
            {
                throw Error(args[1].Position, "The digits of 'round' must be an integer literal from 0 to 15");
            }

            digits = d;
        }

        var arg = args[0];
        var eval = arg.Eval;
        return arg.Kind switch
        {
            ValueKind.Int or ValueKind.Long or ValueKind.Null => arg,
            ValueKind.Decimal => new Bound(arg.Kind, r => eval(r) is decimal v ? decimal.Round(v, digits, MidpointRounding.AwayFromZero) : null, syntax.Position, digits),
            ValueKind.Double => new Bound(arg.Kind, r => eval(r) is double v ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null, syntax.Position),
            _ => throw Error(arg.Position, $"Argument 1 of 'round' must be a number but is {ExpressionCompiler.KindName(arg.Kind)}"),
        };
    }

    private Bound DatePart(CallSyntax syntax, IReadOnlyList<Bound> args, Func<DateTime, int> part)
    {
        Arity(syntax, args, 1, 1);
        var arg = args[0];
        var eval = arg.Kind == ValueKind.Date ? Coerce(arg, ValueKind.Timestamp).Eval : CoerceArgument(syntax, arg, ValueKind.Timestamp, 0).Eval;
        return new Bound(ValueKind.Int, r => eval(r) is DateTime t ? part(t) : null, syntax.Position);
    }

    private string Unit(CallSyntax syntax, Bound arg, params string[] allowed)
    {
        if (!arg.IsConstant || arg.ConstantValue is not string unit || !allowed.Contains(unit.ToLowerInvariant()))
        {
            throw Error(arg.Position, $"The unit of '{syntax.Name}' must be one of '{string.Join("', '", allowed)}'");
        }

        return unit.ToLowerInvariant();
    }

    private Bound DateTrunc(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 2, 2);
        var unit = Unit(syntax, args[0], "year", "month", "week", "day", "hour", "minute", "second");
        var date = args[1].Kind == ValueKind.Date;
        var eval = date ? Coerce(args[1], ValueKind.Timestamp).Eval : CoerceArgument(syntax, args[1], ValueKind.Timestamp, 1).Eval;
        Func<DateTime, DateTime> trunc = unit switch
        {
            "year" => t => new DateTime(t.Year, 1, 1, 0, 0, 0, t.Kind),
            "month" => t => new DateTime(t.Year, t.Month, 1, 0, 0, 0, t.Kind),
            "week" => t => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            "day" => t => t.Date,
            "hour" => t => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, t.Kind),
            "minute" => t => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Kind),
            _ => t => new DateTime(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Kind),
        };
        return date
            ? new Bound(ValueKind.Date, r => eval(r) is DateTime t ? DateOnly.FromDateTime(trunc(t)) : null, syntax.Position)
            : new Bound(ValueKind.Timestamp, r => eval(r) is DateTime t ? trunc(t) : null, syntax.Position, Schema: args[1].Schema);
    }

    private Bound DateAdd(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 2, 3);
        var unit = args.Count == 3 ? Unit(syntax, args[2], "year", "month", "week", "day", "hour", "minute", "second", "millisecond") : "day";
        var amount = CoerceArgument(syntax, args[1], ValueKind.Long, 1).Eval;
        if (args[0].Kind == ValueKind.Date && unit is "year" or "month" or "week" or "day")
        {
            var date = args[0].Eval;
            return new Bound(ValueKind.Date, r => date(r) is DateOnly d && amount(r) is long n ? unit switch
            {
                "year" => d.AddYears(checked((int)n)),
                "month" => d.AddMonths(checked((int)n)),
                "week" => d.AddDays(checked((int)n * 7)),
                _ => d.AddDays(checked((int)n)),
            } : null, syntax.Position);
        }

        var time = CoerceArgument(syntax, args[0], ValueKind.Timestamp, 0).Eval;
        return new Bound(ValueKind.Timestamp, r => time(r) is DateTime t && amount(r) is long n ? unit switch
        {
            "year" => t.AddYears(checked((int)n)),
            "month" => t.AddMonths(checked((int)n)),
            "week" => t.AddDays(n * 7),
            "day" => t.AddDays(n),
            "hour" => t.AddHours(n),
            "minute" => t.AddMinutes(n),
            "second" => t.AddSeconds(n),
            _ => t.AddMilliseconds(n),
        } : null, syntax.Position, Schema: args[0].Kind == ValueKind.Timestamp ? args[0].Schema : null);
    }

    private Bound DateDiff(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 3, 3);
        var unit = Unit(syntax, args[0], "week", "day", "hour", "minute", "second", "millisecond");
        var from = CoerceArgument(syntax, args[1], ValueKind.Timestamp, 1).Eval;
        var to = CoerceArgument(syntax, args[2], ValueKind.Timestamp, 2).Eval;
        var unitTicks = unit switch
        {
            "week" => TimeSpan.TicksPerDay * 7,
            "day" => TimeSpan.TicksPerDay,
            "hour" => TimeSpan.TicksPerHour,
            "minute" => TimeSpan.TicksPerMinute,
            "second" => TimeSpan.TicksPerSecond,
            _ => TimeSpan.TicksPerMillisecond,
        };
        // Whole units from 'from' to 'to', truncated toward zero.
        return new Bound(ValueKind.Long, r => from(r) is DateTime a && to(r) is DateTime b ? (b.Ticks - a.Ticks) / unitTicks : null, syntax.Position);
    }

    private Bound Converted(CallSyntax syntax, IReadOnlyList<Bound> args, ValueKind kind)
    {
        Arity(syntax, args, 1, 1);
        var cast = ModelCast.To(KindSchema(kind));
        var eval = args[0].Eval;
        return new Bound(kind, r => cast(eval(r)), syntax.Position);
    }

    private Bound ToTimestamp(CallSyntax syntax, IReadOnlyList<Bound> args)
    {
        Arity(syntax, args, 1, 2);
        if (args.Count == 1)
        {
            return Converted(syntax, args, ValueKind.Timestamp);
        }

        if (!args[1].IsConstant || args[1].ConstantValue is not string format)
        {
            throw Error(args[1].Position, "The format of 'to_timestamp' must be a string literal (.NET custom date format)");
        }

        var text = CoerceArgument(syntax, args[0], ValueKind.String, 0).Eval;
        return new Bound(ValueKind.Timestamp, r => text(r) is string s
            ? DateTime.ParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null, syntax.Position);
    }
}
