namespace Streams.Serving.Query;

/// <summary>
/// Checks that a query text is a single statement, skipping string literals, quoted identifiers,
/// dollar-quoted strings and comments. The database enforces read-only access by itself; this check
/// gives a clear message and keeps a second statement from ever reaching the server.
/// </summary>
public static class SqlStatementGuard
{
    /// <summary>Returns the statement without a trailing semicolon, or throws when it holds several or none.</summary>
    public static string SingleStatement(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var end = -1;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                i = SkipQuoted(sql, i, c);
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                var newline = sql.IndexOf('\n', i);
                i = newline < 0 ? sql.Length : newline + 1;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + tag.Length;
            }
            else if (c == ';')
            {
                if (end < 0)
                {
                    end = i;
                }

                i++;
            }
            else
            {
                if (end >= 0 && !char.IsWhiteSpace(c))
                {
                    throw new QueryRefusedException(
                        $"Only one SQL statement is allowed; a second one starts at position {i + 1}.");
                }

                i++;
            }
        }

        var statement = (end < 0 ? sql : sql[..end]).Trim();
        return statement.Length == 0 ? throw new QueryRefusedException("The query is empty.") : statement;
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static int SkipQuoted(string s, int start, char quote)
    {
        var i = start + 1;
        while (i < s.Length)
        {
            if (s[i] == quote)
            {
                if (At(s, i + 1, quote))
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return s.Length;
    }

    private static int SkipBlockComment(string s, int start)
    {
        var depth = 0;
        var i = start;
        while (i < s.Length)
        {
            if (s[i] == '/' && At(s, i + 1, '*'))
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && At(s, i + 1, '/'))
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    private static string? DollarTag(string s, int start)
    {
        var i = start + 1;
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        return i < s.Length && s[i] == '$' && (i == start + 1 || !char.IsDigit(s[start + 1])) ? s[start..(i + 1)] : null;
    }
}
