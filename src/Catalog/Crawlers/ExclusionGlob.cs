using System.Text;
using System.Text.RegularExpressions;

namespace Streams.Catalog.Crawlers;

/// <summary>
/// An exclude pattern of a crawler target, matched against paths relative to the target (Glue's glob
/// syntax): <c>*</c> matches within one folder level, <c>**</c> across levels, <c>?</c> one character,
/// <c>[abc]</c> a character class and <c>{a,b}</c> alternatives.
/// </summary>
public sealed class ExclusionGlob
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    public ExclusionGlob(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
        var builder = new StringBuilder("^");
        var inBraces = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    builder.Append(".*");
                    i++;
                    break;
                case '*':
                    builder.Append("[^/]*");
                    break;
                case '?':
                    builder.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new InvalidInputException($"Exclusion '{pattern}': unclosed '['.");
                    }

                    builder.Append('[').Append(pattern[(i + 1)..end].Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '{':
                    inBraces = true;
                    builder.Append("(?:");
                    break;
                case '}' when inBraces:
                    inBraces = false;
                    builder.Append(')');
                    break;
                case ',' when inBraces:
                    builder.Append('|');
                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (inBraces)
        {
            throw new InvalidInputException($"Exclusion '{pattern}': unclosed '{{'.");
        }

        _regex = new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when <paramref name="relativePath"/> (with <c>/</c> separators) is excluded.</summary>
    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);
}
