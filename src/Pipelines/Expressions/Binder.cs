using System.Globalization;
using Streams.Formats.Model;
using Streams.Pipelines.Values;

namespace Streams.Pipelines.Expressions;

/// <summary>Type-checks a syntax tree against a schema and compiles it to closures (see <see cref="ExpressionCompiler"/>).</summary>
internal sealed partial class Binder(string text, RecordSchema schema, string? column)
{
    private static readonly Schema TimestampSchema = new PrimitiveSchema(SchemaType.Long, LogicalType.TimestampMicros);
    private static readonly Schema DateSchema = new PrimitiveSchema(SchemaType.Int, LogicalType.Date);

    public ExpressionException Error(int position, string detail, string? about = null) => new(text, position, about ?? column, detail);

    public Bound Bind(Syntax syntax) => syntax switch
    {
        LiteralSyntax literal => Literal(literal),
        FieldSyntax field => Field(field),
        UnarySyntax unary => Unary(unary),
        BinarySyntax binary => Binary(binary),
        IsNullSyntax isNull => IsNull(isNull),
        InSyntax @in => In(@in),
        BetweenSyntax between => Between(between),
        CallSyntax call => Call(call),
        CastSyntax cast => Cast(cast),
        CaseSyntax @case => Case(@case),
        _ => throw new InvalidOperationException($"Unknown syntax {syntax.GetType().Name}."),
    };

    /// <summary>The nullable model schema of a result.</summary>
    public static Schema ResultSchema(Bound bound) => bound.Kind switch
    {
        ValueKind.Null => PrimitiveSchema.Null,
        _ => UnionSchema.Nullable(bound.Schema ?? KindSchema(bound.Kind, bound.Scale)),
    };

    public static Schema KindSchema(ValueKind kind, int scale = 0) => kind switch
    {
        ValueKind.Boolean => PrimitiveSchema.Boolean,
        ValueKind.Int => PrimitiveSchema.Int,
        ValueKind.Long => PrimitiveSchema.Long,
        ValueKind.Decimal => new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(38, scale)),
        ValueKind.Double => PrimitiveSchema.Double,
        ValueKind.Date => DateSchema,
        ValueKind.Timestamp => TimestampSchema,
        ValueKind.Null => PrimitiveSchema.Null,
        _ => PrimitiveSchema.String,
    };

    private static Bound Constant(ValueKind kind, object? value, int position, int scale = 0) =>
        new(kind, _ => value, position, scale, IsConstant: true);

    private static Bound Literal(LiteralSyntax literal) => literal.Value switch
    {
        null => Constant(ValueKind.Null, null, literal.Position),
        bool b => Constant(ValueKind.Boolean, b, literal.Position),
        int i => Constant(ValueKind.Int, i, literal.Position),
        long l => Constant(ValueKind.Long, l, literal.Position),
        double d => Constant(ValueKind.Double, d, literal.Position),
        string s => Constant(ValueKind.String, s, literal.Position),
        _ => throw new InvalidOperationException("Unknown literal."),
    };

    /// <summary>
    /// Folds a node whose inputs are all constant: evaluated once here, so a bad constant (say
    /// CAST('x' AS int)) is a compile error rather than a dead letter per record.
    /// </summary>
    private Bound Fold(Bound bound, params Bound[] inputs)
    {
        if (!inputs.All(i => i.IsConstant))
        {
            return bound;
        }

        object? value;
        try
        {
            value = bound.Eval(null!);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArithmeticException or ArgumentException)
        {
            throw Error(bound.Position, e.Message.TrimEnd('.'));
        }

        return bound with { Eval = _ => value, IsConstant = true };
    }

    private Bound Field(FieldSyntax syntax)
    {
        RecordSchema? current = schema;
        var positions = new int[syntax.Path.Count];
        Schema fieldSchema = schema;
        for (var i = 0; i < syntax.Path.Count; i++)
        {
            var prefix = string.Join('.', syntax.Path.Take(i));
            if (current is null)
            {
                throw Error(syntax.Position, $"'{prefix}' is {fieldSchema.DisplayName}, not a record, so it has no field '{syntax.Path[i]}'");
            }

            var field = current.GetField(syntax.Path[i])
                ?? throw Error(syntax.Position,
                    $"Unknown field '{string.Join('.', syntax.Path.Take(i + 1))}'; {(i == 0 ? "the input" : $"'{prefix}'")} has fields {string.Join(", ", current.Fields.Select(f => f.Name))}");
            positions[i] = field.Position;
            fieldSchema = field.Schema;
            current = (fieldSchema.NonNullBranch ?? fieldSchema) as RecordSchema;
        }

        var (kind, scale, read) = FromModel(fieldSchema);
        Func<GenericRecord, object?> eval;
        if (positions.Length == 1)
        {
            var p = positions[0];
            eval = read is null ? r => r[p] : r => r[p] is { } v ? read(v) : null;
        }
        else
        {
            eval = r =>
            {
                object? value = r;
                foreach (var p in positions)
                {
                    if (value is not GenericRecord g)
                    {
                        return null;
                    }

                    value = g[p];
                }

                return value is null || read is null ? value : read(value);
            };
        }

        return new Bound(kind, eval, syntax.Position, scale, fieldSchema.NonNullBranch ?? fieldSchema);
    }

    /// <summary>The expression type of a model schema and how its values convert to the internal representation.</summary>
    internal static (ValueKind Kind, int Scale, Func<object, object>? Read) FromModel(Schema fieldSchema)
    {
        var s = fieldSchema.NonNullBranch ?? fieldSchema;
        return s.LogicalType?.Name switch
        {
            LogicalType.DecimalName => (ValueKind.Decimal, s.LogicalType.Scale, v => v is DecimalValue d ? d.ToDecimal() : v),
            LogicalType.DateName => (ValueKind.Date, 0, null),
            LogicalType.TimestampMillisName or LogicalType.TimestampMicrosName
                or LogicalType.LocalTimestampMillisName or LogicalType.LocalTimestampMicrosName => (ValueKind.Timestamp, 0, null),
            LogicalType.TimestampNanosName or LogicalType.LocalTimestampNanosName => (ValueKind.Long, 0, null),
            LogicalType.UuidName or LogicalType.TimeMillisName or LogicalType.TimeMicrosName or LogicalType.DurationName => (ValueKind.Other, 0, null),
            _ => s.Type switch
            {
                SchemaType.Null => (ValueKind.Null, 0, null),
                SchemaType.Boolean => (ValueKind.Boolean, 0, null),
                SchemaType.Int => (ValueKind.Int, 0, null),
                SchemaType.Long => (ValueKind.Long, 0, null),
                SchemaType.Float => (ValueKind.Double, 0, v => v is float f ? (double)f : v),
                SchemaType.Double => (ValueKind.Double, 0, null),
                SchemaType.String or SchemaType.Enum => (ValueKind.String, 0, null),
                _ => (ValueKind.Other, 0, null),
            },
        };
    }

    private static bool IsNumeric(ValueKind kind) => kind is ValueKind.Int or ValueKind.Long or ValueKind.Decimal or ValueKind.Double;

    /// <summary>Converts a node to a wider type (numeric widening, date → timestamp, a string constant → date/timestamp).</summary>
    private Bound Coerce(Bound bound, ValueKind target, int scale = 0)
    {
        if (bound.Kind == target || bound.Kind == ValueKind.Null)
        {
            return bound.Kind == ValueKind.Null ? bound with { Kind = target, Scale = scale } : bound;
        }

        var eval = bound.Eval;
        Func<object, object>? convert = (bound.Kind, target) switch
        {
            (ValueKind.Int, ValueKind.Long) => v => (long)(int)v,
            (ValueKind.Int, ValueKind.Decimal) => v => (decimal)(int)v,
            (ValueKind.Int, ValueKind.Double) => v => (double)(int)v,
            (ValueKind.Long, ValueKind.Decimal) => v => (decimal)(long)v,
            (ValueKind.Long, ValueKind.Double) => v => (double)(long)v,
            (ValueKind.Decimal, ValueKind.Double) => v => (double)(decimal)v,
            (ValueKind.Date, ValueKind.Timestamp) => v => ((DateOnly)v).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            (ValueKind.String, ValueKind.Date) when bound.IsConstant => v => ModelCast.To(DateSchema)(v)!,
            (ValueKind.String, ValueKind.Timestamp) when bound.IsConstant => v => ModelCast.To(TimestampSchema)(v)!,
            _ => null,
        };
        if (convert is null)
        {
            throw Error(bound.Position, $"Expected {ExpressionCompiler.KindName(target)} but found {ExpressionCompiler.KindName(bound.Kind)}");
        }

        return Fold(new Bound(target, r => eval(r) is { } v ? convert(v) : null, bound.Position, scale), bound);
    }

    /// <summary>The common type of several nodes (CASE branches, coalesce, comparisons), or an error.</summary>
    private ValueKind Unify(IReadOnlyList<Bound> nodes, int position, string what)
    {
        var kinds = nodes.Select(n => n.Kind).Where(k => k != ValueKind.Null).Distinct().ToList();
        if (kinds.Count <= 1)
        {
            return kinds.Count == 0 ? ValueKind.Null : kinds[0];
        }

        if (kinds.All(IsNumeric))
        {
            return kinds.Max();
        }

        if (kinds.All(k => k is ValueKind.Date or ValueKind.Timestamp))
        {
            return ValueKind.Timestamp;
        }

        var temporal = kinds.Where(k => k is ValueKind.Date or ValueKind.Timestamp).ToList();
        if (temporal.Count > 0 && nodes.Where(n => n.Kind == ValueKind.String).All(n => n.IsConstant) && kinds.All(k => k is ValueKind.Date or ValueKind.Timestamp or ValueKind.String))
        {
            return temporal.Max();
        }

        throw Error(position, $"Cannot {what} {string.Join(" and ", kinds.Select(ExpressionCompiler.KindName))}");
    }

    private static int MaxScale(IEnumerable<Bound> nodes) => nodes.Select(n => n.Scale).DefaultIfEmpty(0).Max();

    private Bound Unary(UnarySyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        var eval = operand.Eval;
        if (syntax.Operator == "NOT")
        {
            RequireBoolean(operand, "NOT");
            return Fold(new Bound(ValueKind.Boolean, r => eval(r) is bool b ? !b : null, syntax.Position), operand);
        }

        Func<object, object> negate = operand.Kind switch
        {
            ValueKind.Int => v => checked(-(int)v),
            ValueKind.Long => v => checked(-(long)v),
            ValueKind.Decimal => v => -(decimal)v,
            ValueKind.Double => v => -(double)v,
            ValueKind.Null => v => v,
            _ => throw Error(syntax.Position, $"Operator '-' cannot be applied to {ExpressionCompiler.KindName(operand.Kind)}"),
        };
        return Fold(new Bound(operand.Kind, r => eval(r) is { } v ? negate(v) : null, syntax.Position, operand.Scale), operand);
    }

    private void RequireBoolean(Bound bound, string what)
    {
        if (bound.Kind is not (ValueKind.Boolean or ValueKind.Null))
        {
            throw Error(bound.Position, $"{what} needs a boolean operand but found {ExpressionCompiler.KindName(bound.Kind)}");
        }
    }

    private Bound Binary(BinarySyntax syntax)
    {
        var left = Bind(syntax.Left);
        var right = Bind(syntax.Right);
        return syntax.Operator switch
        {
            "AND" or "OR" => Logical(syntax, left, right),
            "=" or "!=" or "<" or "<=" or ">" or ">=" => Fold(Compare(syntax.Operator, left, right, syntax.Position), left, right),
            "||" => Fold(ConcatOperator(left, right, syntax.Position), left, right),
            "LIKE" => Like(left, right, syntax.Position),
            _ => Fold(Arithmetic(syntax.Operator, left, right, syntax.Position), left, right),
        };
    }

    private Bound Logical(BinarySyntax syntax, Bound left, Bound right)
    {
        RequireBoolean(left, syntax.Operator);
        RequireBoolean(right, syntax.Operator);
        var l = left.Eval;
        var r = right.Eval;
        // Three-valued logic: FALSE AND NULL is FALSE, TRUE OR NULL is TRUE, otherwise NULL wins.
        Func<GenericRecord, object?> eval = syntax.Operator == "AND"
            ? record =>
            {
                var a = l(record);
                if (a is false)
                {
                    return false;
                }

                var b = r(record);
                return b is false ? false : a is null || b is null ? null : true;
            }
            : record =>
            {
                var a = l(record);
                if (a is true)
                {
                    return true;
                }

                var b = r(record);
                return b is true ? true : a is null || b is null ? null : false;
            };
        return Fold(new Bound(ValueKind.Boolean, eval, syntax.Position), left, right);
    }

    internal Bound Compare(string op, Bound left, Bound right, int position)
    {
        var kind = Unify([left, right], position, $"compare ({op})");
        if (kind is ValueKind.Other or ValueKind.Boolean && op is not ("=" or "!="))
        {
            throw Error(position, $"Operator '{op}' cannot order {ExpressionCompiler.KindName(kind)} values; only = and != apply");
        }

        var l = Coerce(left, kind).Eval;
        var r = Coerce(right, kind).Eval;
        Func<object, object, int> compare = kind switch
        {
            ValueKind.String => (a, b) => string.CompareOrdinal((string)a, (string)b),
            ValueKind.Other => (a, b) => ValueEquality.Instance.Equals(a, b) ? 0 : 1,
            _ => (a, b) => ((IComparable)a).CompareTo(b),
        };
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "!=" => c => c != 0,
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            ">" => c => c > 0,
            _ => c => c >= 0,
        };
        return new Bound(ValueKind.Boolean, record => l(record) is { } a && r(record) is { } b ? test(compare(a, b)) : null, position);
    }

    private Bound ConcatOperator(Bound left, Bound right, int position)
    {
        var l = left.Eval;
        var r = right.Eval;
        var lt = Text(left);
        var rt = Text(right);
        return new Bound(ValueKind.String, record => l(record) is { } a && r(record) is { } b ? lt(a) + rt(b) : null, position);
    }

    /// <summary>How a value of a node's type turns into text (for ||, concat, CAST AS string).</summary>
    private static Func<object, string> Text(Bound bound) => bound.Kind switch
    {
        ValueKind.String => v => (string)v,
        ValueKind.Decimal => v => ((decimal)v).ToString(CultureInfo.InvariantCulture),
        _ => ModelCast.ToText,
    };

    private Bound Like(Bound left, Bound right, int position)
    {
        if (left.Kind is not (ValueKind.String or ValueKind.Null) || right.Kind is not (ValueKind.String or ValueKind.Null))
        {
            throw Error(position, $"LIKE needs string operands but found {ExpressionCompiler.KindName(left.Kind)} and {ExpressionCompiler.KindName(right.Kind)}");
        }

        var l = left.Eval;
        if (right.IsConstant)
        {
            var pattern = right.ConstantValue is string p ? ExpressionCompiler.LikeRegex(p) : null;
            return Fold(new Bound(ValueKind.Boolean, r => pattern is null || l(r) is not string s ? null : pattern.IsMatch(s), position), left, right);
        }

        var rp = right.Eval;
        return new Bound(ValueKind.Boolean, r => l(r) is string s && rp(r) is string p ? ExpressionCompiler.LikeRegex(p).IsMatch(s) : null, position);
    }

    private Bound Arithmetic(string op, Bound left, Bound right, int position)
    {
        if (!(IsNumeric(left.Kind) || left.Kind == ValueKind.Null) || !(IsNumeric(right.Kind) || right.Kind == ValueKind.Null))
        {
            var hint = op == "+" && (left.Kind == ValueKind.String || right.Kind == ValueKind.String) ? " (use || to concatenate strings)" : "";
            throw Error(position, $"Operator '{op}' cannot be applied to {ExpressionCompiler.KindName(left.Kind)} and {ExpressionCompiler.KindName(right.Kind)}{hint}");
        }

        var kind = Unify([left, right], position, $"apply '{op}' to");
        if (kind == ValueKind.Null)
        {
            return Constant(ValueKind.Null, null, position);
        }

        // Division is never integer division (as in Spark SQL): int / int gives a double.
        if (op == "/" && kind is ValueKind.Int or ValueKind.Long)
        {
            kind = ValueKind.Double;
        }

        var scale = op switch
        {
            "*" => Math.Min(left.Scale + right.Scale, 18),
            "/" => Math.Max(MaxScale([left, right]), 6),
            _ => MaxScale([left, right]),
        };
        var l = Coerce(left, kind).Eval;
        var r = Coerce(right, kind).Eval;
        Func<object, object, object?> apply = (kind, op) switch
        {
            (ValueKind.Int, "+") => (a, b) => checked((int)a + (int)b),
            (ValueKind.Int, "-") => (a, b) => checked((int)a - (int)b),
            (ValueKind.Int, "*") => (a, b) => checked((int)a * (int)b),
            (ValueKind.Int, "%") => (a, b) => (int)b == 0 ? null : (int)a % (int)b,
            (ValueKind.Long, "+") => (a, b) => checked((long)a + (long)b),
            (ValueKind.Long, "-") => (a, b) => checked((long)a - (long)b),
            (ValueKind.Long, "*") => (a, b) => checked((long)a * (long)b),
            (ValueKind.Long, "%") => (a, b) => (long)b == 0 ? null : (long)a % (long)b,
            (ValueKind.Decimal, "+") => (a, b) => (decimal)a + (decimal)b,
            (ValueKind.Decimal, "-") => (a, b) => (decimal)a - (decimal)b,
            (ValueKind.Decimal, "*") => (a, b) => (decimal)a * (decimal)b,
            (ValueKind.Decimal, "/") => (a, b) => (decimal)b == 0 ? null : (decimal)a / (decimal)b,
            (ValueKind.Decimal, "%") => (a, b) => (decimal)b == 0 ? null : (decimal)a % (decimal)b,
            (ValueKind.Double, "+") => (a, b) => (double)a + (double)b,
            (ValueKind.Double, "-") => (a, b) => (double)a - (double)b,
            (ValueKind.Double, "*") => (a, b) => (double)a * (double)b,
            (ValueKind.Double, "/") => (a, b) => (double)b == 0 ? null : (double)a / (double)b,
            (ValueKind.Double, "%") => (a, b) => (double)b == 0 ? null : (double)a % (double)b,
            _ => throw new InvalidOperationException($"No arithmetic for {kind} {op}."),
        };
        return new Bound(kind, record => l(record) is { } a && r(record) is { } b ? apply(a, b) : null, position, scale);
    }

    private Bound IsNull(IsNullSyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        var eval = operand.Eval;
        var negated = syntax.Negated;
        return Fold(new Bound(ValueKind.Boolean, r => (eval(r) is null) != negated, syntax.Position), operand);
    }

    private Bound In(InSyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        var items = syntax.Items.Select(Bind).ToList();
        var tests = items.Select(item => Compare("=", operand, item, item.Position).Eval).ToArray();
        var negated = syntax.Negated;
        // x IN (a, b): TRUE if some item equals x, else NULL if x or some item is NULL, else FALSE.
        return Fold(new Bound(ValueKind.Boolean, r =>
        {
            var sawNull = false;
            foreach (var test in tests)
            {
                switch (test(r))
                {
                    case true:
                        return !negated;
                    case null:
                        sawNull = true;
                        break;
                }
            }

            return sawNull ? null : negated;
        }, syntax.Position), [operand, .. items]);
    }

    private Bound Between(BetweenSyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        var low = Bind(syntax.Low);
        var high = Bind(syntax.High);
        var lowTest = Compare(">=", operand, low, syntax.Position).Eval;
        var highTest = Compare("<=", operand, high, syntax.Position).Eval;
        var negated = syntax.Negated;
        return Fold(new Bound(ValueKind.Boolean, r =>
        {
            var a = lowTest(r);
            var b = highTest(r);
            bool? inside = a is false || b is false ? false : a is null || b is null ? null : true;
            return inside is null ? null : inside.Value != negated;
        }, syntax.Position), operand, low, high);
    }

    private Bound Case(CaseSyntax syntax)
    {
        var operand = syntax.Operand is null ? null : Bind(syntax.Operand);
        var conditions = new List<Func<GenericRecord, object?>>();
        var results = new List<Bound>();
        foreach (var (whenSyntax, thenSyntax) in syntax.Branches)
        {
            var when = Bind(whenSyntax);
            if (operand is null)
            {
                RequireBoolean(when, "WHEN");
                conditions.Add(when.Eval);
            }
            else
            {
                conditions.Add(Compare("=", operand, when, when.Position).Eval);
            }

            results.Add(Bind(thenSyntax));
        }

        var otherwise = syntax.Else is null ? Constant(ValueKind.Null, null, syntax.Position) : Bind(syntax.Else);
        var all = results.Append(otherwise).ToList();
        var kind = Unify(all, syntax.Position, "mix CASE results of");
        var scale = MaxScale(all);
        var thens = results.Select(b => Coerce(b, kind, scale).Eval).ToArray();
        var elseEval = Coerce(otherwise, kind, scale).Eval;
        var whens = conditions.ToArray();
        var passThrough = all.Where(b => b.Kind != ValueKind.Null).Select(b => b.Schema).Distinct().Count() == 1 ? all.First(b => b.Kind != ValueKind.Null).Schema : null;
        return new Bound(kind, r =>
        {
            for (var i = 0; i < whens.Length; i++)
            {
                if (whens[i](r) is true)
                {
                    return thens[i](r);
                }
            }

            return elseEval(r);
        }, syntax.Position, scale, kind == ValueKind.Other ? passThrough : null);
    }

    private Bound Cast(CastSyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        var (kind, targetSchema) = syntax.Type.Name switch
        {
            "int" or "integer" => (ValueKind.Int, (Schema)PrimitiveSchema.Int),
            "bigint" or "long" => (ValueKind.Long, PrimitiveSchema.Long),
            "double" or "float" or "real" => (ValueKind.Double, PrimitiveSchema.Double),
            "decimal" or "numeric" => (ValueKind.Decimal,
                new PrimitiveSchema(SchemaType.Bytes, LogicalType.Decimal(syntax.Type.Precision > 0 ? syntax.Type.Precision : 38, syntax.Type.Scale))),
            "string" or "varchar" or "text" => (ValueKind.String, PrimitiveSchema.String),
            "boolean" or "bool" => (ValueKind.Boolean, PrimitiveSchema.Boolean),
            "date" => (ValueKind.Date, DateSchema),
            "timestamp" => (ValueKind.Timestamp, TimestampSchema),
            _ => throw Error(syntax.Type.Position,
                $"Unknown type '{syntax.Type.Name}' (use int, bigint, double, decimal(p,s), string, boolean, date or timestamp)"),
        };
        var eval = operand.Eval;
        if (kind == ValueKind.String)
        {
            var text = Text(operand);
            return Fold(new Bound(kind, r => eval(r) is { } v ? text(v) : null, syntax.Position), operand);
        }

        var cast = ModelCast.To(targetSchema);
        var (_, scale, read) = FromModel(targetSchema);
        Func<object?, object?> toModel = operand.Kind == ValueKind.Decimal ? v => v is decimal d ? DecimalValue.FromDecimal(d) : v : v => v;
        return Fold(new Bound(kind, r => cast(toModel(eval(r))) is { } v ? read is null ? v : read(v) : null, syntax.Position, scale), operand);
    }
}
