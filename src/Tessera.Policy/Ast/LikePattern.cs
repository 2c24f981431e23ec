namespace Tessera.Policy.Ast;

/// <summary>
/// A <c>like</c> pattern: literal characters and <c>*</c> wildcards (an escaped <c>\*</c> is a literal
/// star). Matching is the classic two-pointer glob algorithm with one backtrack point: O(n·m) in the worst
/// case and no recursion, so a pathological pattern cannot blow up exponentially or overflow the stack.
/// </summary>
internal sealed class LikePattern(IReadOnlyList<LikePattern.Element> elements)
{
    public IReadOnlyList<Element> Elements { get; } = elements;

    public bool Matches(string text)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < Elements.Count && !Elements[p].IsWildcard && Elements[p].Char == text[t])
            {
                t++;
                p++;
            }
            else if (p < Elements.Count && Elements[p].IsWildcard)
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < Elements.Count && Elements[p].IsWildcard)
        {
            p++;
        }

        return p == Elements.Count;
    }

    public override string ToString() =>
        string.Concat(Elements.Select(e => e.IsWildcard ? "*" : e.Char == '*' ? "\\*" : e.Char.ToString()));

    /// <summary>One pattern element: a wildcard or a literal UTF-16 code unit.</summary>
    internal readonly record struct Element(bool IsWildcard, char Char);
}
