namespace Tessera.Policy.Ast;

/// <summary>
/// A <c>like</c> pattern: literal characters and <c>*</c> wildcards (an escaped <c>\*</c> is a literal
/// star). Matching splits the pattern at its wildcards: the first piece must be a prefix, the last a
/// suffix, and each piece between is found at its leftmost position after the previous one. For
/// star-only globs the leftmost choice is always safe, so there is no backtracking: a pathological
/// pattern costs a few ordinal searches, not exponential or quadratic time, and nothing recurses.
/// </summary>
internal sealed class LikePattern
{
    private readonly string[] _pieces;
    private readonly bool _hasWildcard;

    public LikePattern(IReadOnlyList<Element> elements)
    {
        Elements = elements;
        var pieces = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var element in elements)
        {
            if (element.IsWildcard)
            {
                pieces.Add(current.ToString());
                current.Clear();
                _hasWildcard = true;
            }
            else
            {
                current.Append(element.Char);
            }
        }

        pieces.Add(current.ToString());
        _pieces = [.. pieces];
    }

    public IReadOnlyList<Element> Elements { get; }

    public bool Matches(string text)
    {
        if (!_hasWildcard)
        {
            return string.Equals(text, _pieces[0], StringComparison.Ordinal);
        }

        var prefix = _pieces[0];
        var suffix = _pieces[^1];
        if (text.Length < prefix.Length + suffix.Length
            || !text.StartsWith(prefix, StringComparison.Ordinal)
            || !text.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var position = prefix.Length;
        var limit = text.Length - suffix.Length;
        for (var i = 1; i < _pieces.Length - 1; i++)
        {
            var piece = _pieces[i];
            if (piece.Length == 0)
            {
                continue;
            }

            var found = text.IndexOf(piece, position, limit - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + piece.Length;
        }

        return true;
    }

    public override string ToString() =>
        string.Concat(Elements.Select(e => e.IsWildcard ? "*" : e.Char == '*' ? "\\*" : e.Char.ToString()));

    /// <summary>One pattern element: a wildcard or a literal UTF-16 code unit.</summary>
    internal readonly record struct Element(bool IsWildcard, char Char);
}
