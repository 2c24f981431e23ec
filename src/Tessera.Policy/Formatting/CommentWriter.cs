using System.Text;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Puts the comments of the original text into its formatted text (see <see cref="PolicyFormatter"/> for the
/// rules). The formatted layout is not changed: comments only go on lines of their own before a formatted line,
/// at the end of a formatted line, or after the last policy.
/// </summary>
internal static class CommentWriter
{
    public static string Insert(LexedText original, string formatted)
    {
        if (original.Comments.Count == 0)
        {
            return formatted;
        }

        var output = LexedText.Read(formatted);
        var map = TokenAlignment.Align(original.Tokens, output.Tokens);
        var lines = new Line?[output.Tokens.Count];
        var lineOf = new int[output.Tokens.Count];
        for (var i = 0; i < output.Tokens.Count; i++)
        {
            lineOf[i] = StartsLine(output, i) ? i : lineOf[i - 1];
        }

        var atEnd = new List<SourceComment>();
        foreach (var comment in original.Comments)
        {
            var (token, endOfLine) = Anchor(comment, map, original.Tokens.Count, output.Tokens.Count);
            if (token == output.Tokens.Count)
            {
                atEnd.Add(comment);
                continue;
            }

            var line = lines[lineOf[token]] ??= new Line();
            (endOfLine ? line.EndOfLine : line.Before).Add(comment);
        }

        return Write(output, lines, atEnd);
    }

    // The formatted token a comment goes next to, and whether it goes at the end of that token's line (true) or
    // on a line of its own before it (false); the token count stands for "after the last policy".
    private static (int Token, bool EndOfLine) Anchor(SourceComment comment, int[] map, int originalCount, int outputCount)
    {
        if (comment.IsEndOfLine)
        {
            for (var i = comment.PreviousToken; i >= 0; i--)
            {
                if (map[i] >= 0)
                {
                    return (map[i], true);
                }
            }
        }

        for (var i = comment.NextToken; i < originalCount; i++)
        {
            if (map[i] >= 0)
            {
                return (map[i], false);
            }
        }

        if (comment.NextToken == originalCount)
        {
            return (outputCount, false);
        }

        // Nothing after it has a counterpart: it goes on a line of its own after the last one that has.
        for (var i = comment.PreviousToken; i >= 0; i--)
        {
            if (map[i] >= 0)
            {
                return (map[i] + 1, false);
            }
        }

        return (outputCount, false);
    }

    private static bool StartsLine(LexedText output, int token) =>
        token == 0 || output.Text.AsSpan(output.Ends[token - 1], output.Starts[token] - output.Ends[token - 1]).Contains('\n');

    private static bool StartsPolicy(LexedText output, int token) =>
        token == 0 || output.Tokens[token - 1].Kind == TokenKind.Semicolon;

    private static string Write(LexedText output, Line?[] lines, List<SourceComment> atEnd)
    {
        var text = output.Text;
        var builder = new StringBuilder(text.Length + 256);
        SourceComment? pendingEndOfLine = null;
        for (var i = 0; i < output.Tokens.Count; i++)
        {
            var gapStart = i == 0 ? 0 : output.Ends[i - 1];
            var gap = text[gapStart..output.Starts[i]];
            if (StartsLine(output, i))
            {
                AppendEndOfLine(builder, ref pendingEndOfLine);
                var lastBreak = gap.LastIndexOf('\n');
                var indent = gap[(lastBreak + 1)..];
                builder.Append(gap, 0, lastBreak + 1);
                if (lines[i] is { } line)
                {
                    var before = line.Settle();
                    AppendOwnLines(builder, before, indent, StartsPolicy(output, i), blankAfterLast: true);
                    pendingEndOfLine = line.EndOfLine.Count > 0 ? line.EndOfLine[^1] : null;
                }

                builder.Append(indent);
            }
            else
            {
                builder.Append(gap);
            }

            builder.Append(text, output.Starts[i], output.Ends[i] - output.Starts[i]);
        }

        AppendEndOfLine(builder, ref pendingEndOfLine);
        var tail = output.Tokens.Count == 0 ? text : text[output.Ends[^1]..];
        builder.Append(tail);
        if (atEnd.Count > 0)
        {
            if (output.Tokens.Count > 0 && atEnd[0].BlankLineBefore)
            {
                builder.Append('\n');
            }

            AppendOwnLines(builder, atEnd, string.Empty, keepBlankLines: true, blankAfterLast: false);
        }

        return builder.ToString();
    }

    private static void AppendEndOfLine(StringBuilder builder, ref SourceComment? comment)
    {
        if (comment is not null)
        {
            builder.Append(' ').Append(comment.Text);
            comment = null;
        }
    }

    // Blank lines between comments are kept only between policies and after the last one, where they separate a
    // file header or a section heading from the policy's own comment; inside a policy they are dropped.
    private static void AppendOwnLines(StringBuilder builder, List<SourceComment> comments, string indent, bool keepBlankLines, bool blankAfterLast)
    {
        for (var c = 0; c < comments.Count; c++)
        {
            if (keepBlankLines && c > 0 && comments[c].BlankLineBefore)
            {
                builder.Append('\n');
            }

            builder.Append(indent).Append(comments[c].Text).Append('\n');
        }

        if (keepBlankLines && blankAfterLast && comments.Count > 0 && comments[^1].BlankLineAfter)
        {
            builder.Append('\n');
        }
    }

    /// <summary>The comments that go with one formatted line.</summary>
    private sealed class Line
    {
        public List<SourceComment> Before { get; } = [];

        public List<SourceComment> EndOfLine { get; } = [];

        // A line ends in one `//` comment at most (a second would become part of the first), so any earlier
        // end-of-line comments join those on lines of their own before it, everything in the original order.
        public List<SourceComment> Settle()
        {
            var before = Before.Concat(EndOfLine.Take(EndOfLine.Count - 1)).OrderBy(c => c.Order).ToList();
            if (EndOfLine.Count > 1)
            {
                EndOfLine.RemoveRange(0, EndOfLine.Count - 1);
            }

            return before;
        }
    }
}
