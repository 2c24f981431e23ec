using Tessera.Policy.Parsing;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Cedar text as tokens with their character ranges, plus the comments between them. The lexer skips comments,
/// so they are read back from the gaps between tokens: a gap holds only white space and comments (string
/// literals are tokens), so every <c>//</c> in a gap starts a comment and <c>//</c> inside a string never does.
/// </summary>
internal sealed class LexedText
{
    private LexedText(string text, List<Token> tokens, int[] starts, int[] ends, List<SourceComment> comments)
    {
        Text = text;
        Tokens = tokens;
        Starts = starts;
        Ends = ends;
        Comments = comments;
    }

    public string Text { get; }

    /// <summary>The tokens, without the end-of-input token.</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>The offset of each token's first character.</summary>
    public IReadOnlyList<int> Starts { get; }

    /// <summary>The offset just past each token's last character.</summary>
    public IReadOnlyList<int> Ends { get; }

    /// <summary>The comments in text order.</summary>
    public IReadOnlyList<SourceComment> Comments { get; }

    /// <summary>Tokenizes <paramref name="text"/> and collects its comments.</summary>
    /// <exception cref="PolicyParseException">The text has a character or string literal the lexer refuses.</exception>
    public static LexedText Read(string text)
    {
        var tokens = new Lexer(text).Tokenize();
        tokens.RemoveAt(tokens.Count - 1);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var starts = new int[tokens.Count];
        var ends = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            // Columns count UTF-16 code units from the last line break, which is also how the lexer counts
            // lines inside string literals, so line and column give back the offset.
            starts[i] = lineStarts[tokens[i].Line - 1] + tokens[i].Column - 1;
            ends[i] = starts[i] + Length(tokens[i]);
        }

        var comments = new List<SourceComment>();
        for (var next = 0; next <= tokens.Count; next++)
        {
            var from = next == 0 ? 0 : ends[next - 1];
            var to = next == tokens.Count ? text.Length : starts[next];
            ReadGap(text, from, to, next, comments);
        }

        return new LexedText(text, tokens, starts, ends, comments);
    }

    // The lexer keeps a string's raw body and a slot's name without the question mark.
    private static int Length(Token token) => token.Kind switch
    {
        TokenKind.String => token.Text.Length + 2,
        TokenKind.Slot => token.Text.Length + 1,
        _ => token.Text.Length,
    };

    private static void ReadGap(string text, int from, int to, int next, List<SourceComment> comments)
    {
        var newlines = 0;
        SourceComment? last = null;
        var position = from;
        while (position < to)
        {
            if (text[position] == '\n')
            {
                newlines++;
                position++;
            }
            else if (text[position] == '/' && position + 1 < to && text[position + 1] == '/')
            {
                var end = text.IndexOf('\n', position, to - position);
                end = end < 0 ? to : end;
                if (last is not null)
                {
                    last.BlankLineAfter = newlines >= 2;
                }

                last = new SourceComment(text[position..end].TrimEnd(), comments.Count, next, next > 0 && last is null && newlines == 0, newlines >= 2);
                comments.Add(last);
                newlines = 0;
                position = end;
            }
            else
            {
                position++;
            }
        }

        if (last is not null)
        {
            last.BlankLineAfter = newlines >= 2;
        }
    }
}
