using Tessera.Policy.Parsing;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Finds the <c>when</c>/<c>unless</c> clauses that hold a comment between their braces, so the formatter can
/// print them one chain operand per line, where a comment can stay beside its operand, instead of on one line,
/// which would push the comment out of the clause.
/// </summary>
internal static class CommentedConditions
{
    /// <summary>The (policy, clause) index pairs, both counted from 0 in text order, of the clauses holding a comment.</summary>
    public static HashSet<(int Policy, int Clause)> Find(LexedText text)
    {
        var found = new HashSet<(int, int)>();
        if (text.Comments.Count == 0)
        {
            return found;
        }

        // Comments are in text order, and so are clauses; a comment lies inside a clause when the tokens on
        // either side of it both belong to the clause, braces included.
        var commentIndex = 0;
        foreach (var (policy, clause, open, close) in Clauses(text.Tokens))
        {
            while (commentIndex < text.Comments.Count && text.Comments[commentIndex].PreviousToken < open)
            {
                commentIndex++;
            }

            if (commentIndex < text.Comments.Count && text.Comments[commentIndex].NextToken <= close)
            {
                found.Add((policy, clause));
            }
        }

        return found;
    }

    // A clause is `when` or `unless` then a brace at nesting depth 0 of its policy; a policy ends at its `;`, the
    // only semicolon in the grammar.
    private static IEnumerable<(int Policy, int Clause, int Open, int Close)> Clauses(IReadOnlyList<Token> tokens)
    {
        int policy = 0, clause = 0, depth = 0, open = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case TokenKind.LeftBrace when depth == 0 && i > 0 && tokens[i - 1] is { Kind: TokenKind.Identifier, Text: "when" or "unless" }:
                    open = i;
                    depth++;
                    break;
                case TokenKind.LeftParen or TokenKind.LeftBracket or TokenKind.LeftBrace:
                    depth++;
                    break;
                case TokenKind.RightBrace when depth == 1 && open >= 0:
                    yield return (policy, clause++, open, i);
                    open = -1;
                    depth--;
                    break;
                case TokenKind.RightParen or TokenKind.RightBracket or TokenKind.RightBrace:
                    depth--;
                    break;
                case TokenKind.Semicolon:
                    policy++;
                    clause = 0;
                    depth = 0;
                    open = -1;
                    break;
                default:
                    break;
            }
        }
    }
}
