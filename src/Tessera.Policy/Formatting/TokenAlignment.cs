using Tessera.Policy.Parsing;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Pairs the tokens of the original text with those of the formatted text, so that a comment next to an original
/// token can be put next to the same token in the output. The printer changes few tokens (it drops redundant
/// parentheses, a trailing scope comma and <c>("")</c> after an annotation, writes <c>a["b"]</c> as <c>a.b</c>
/// and expands <c>a has b.c</c>), so a shortest edit script (Myers' O(ND) diff) over token kinds and identifier
/// names pairs everything else. Policies end with the only semicolons in the grammar, so each policy is aligned
/// on its own, which keeps the edit distance, and the work, small.
/// </summary>
internal static class TokenAlignment
{
    // Above this many edits in one policy the diff's trace would grow quadratically; a greedy pairing is used
    // instead. It may pair fewer tokens, which moves a comment to a neighbouring token but never loses it.
    private const int MaxEdits = 1_000;

    /// <summary>For each original token, the index of its formatted counterpart, or -1 when it has none.</summary>
    public static int[] Align(IReadOnlyList<Token> original, IReadOnlyList<Token> formatted)
    {
        var map = new int[original.Count];
        Array.Fill(map, -1);
        var originalSegments = Segments(original);
        var formattedSegments = Segments(formatted);
        if (originalSegments.Count != formattedSegments.Count)
        {
            originalSegments = [(0, original.Count)];
            formattedSegments = [(0, formatted.Count)];
        }

        for (var s = 0; s < originalSegments.Count; s++)
        {
            var (a, n) = originalSegments[s];
            var (b, m) = formattedSegments[s];
            AlignSegment(original, a, n, formatted, b, m, map);
        }

        return map;
    }

    private static List<(int Start, int Count)> Segments(IReadOnlyList<Token> tokens)
    {
        var segments = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == TokenKind.Semicolon)
            {
                segments.Add((start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < tokens.Count)
        {
            segments.Add((start, tokens.Count - start));
        }

        return segments;
    }

    private static bool Same(Token x, Token y) =>
        x.Kind == y.Kind && (x.Kind != TokenKind.Identifier || string.Equals(x.Text, y.Text, StringComparison.Ordinal));

    private static void AlignSegment(IReadOnlyList<Token> a, int aStart, int n, IReadOnlyList<Token> b, int bStart, int m, int[] map)
    {
        // Common prefix and suffix first: for most policies that is everything.
        var prefix = 0;
        while (prefix < n && prefix < m && Same(a[aStart + prefix], b[bStart + prefix]))
        {
            map[aStart + prefix] = bStart + prefix;
            prefix++;
        }

        var suffix = 0;
        while (suffix < n - prefix && suffix < m - prefix && Same(a[aStart + n - 1 - suffix], b[bStart + m - 1 - suffix]))
        {
            map[aStart + n - 1 - suffix] = bStart + m - 1 - suffix;
            suffix++;
        }

        aStart += prefix;
        bStart += prefix;
        n -= prefix + suffix;
        m -= prefix + suffix;
        if (n > 0 && m > 0 && !Myers(a, aStart, n, b, bStart, m, map))
        {
            Greedy(a, aStart, n, b, bStart, m, map);
        }
    }

    // E. Myers, "An O(ND) difference algorithm and its variations" (1986): the furthest-reaching path on each
    // diagonal k = x - y after d edits, with the frontier saved per d so the path can be walked back.
    private static bool Myers(IReadOnlyList<Token> a, int aStart, int n, IReadOnlyList<Token> b, int bStart, int m, int[] map)
    {
        var max = Math.Min(n + m, MaxEdits);
        var offset = max + 1;
        var frontier = new int[(2 * max) + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            // trace[d][k + d + 1] is the frontier after d - 1 edits, for diagonals -d - 1 … d + 1.
            trace.Add(frontier[(offset - d - 1)..(offset + d + 2)]);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1])
                    ? frontier[offset + k + 1]
                    : frontier[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && Same(a[aStart + x], b[bStart + y]))
                {
                    x++;
                    y++;
                }

                frontier[offset + k] = x;
                if (x >= n && y >= m)
                {
                    WalkBack(trace, d, n, m, aStart, bStart, map);
                    return true;
                }
            }
        }

        return false;
    }

    private static void WalkBack(List<int[]> trace, int edits, int x, int y, int aStart, int bStart, int[] map)
    {
        for (var d = edits; d > 0; d--)
        {
            var previous = trace[d];
            var k = x - y;
            var previousK = k == -d || (k != d && previous[k - 1 + d + 1] < previous[k + 1 + d + 1]) ? k + 1 : k - 1;
            var previousX = previous[previousK + d + 1];
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                x--;
                y--;
                map[aStart + x] = bStart + y;
            }

            x = previousX;
            y = previousY;
        }

        while (x > 0 && y > 0)
        {
            x--;
            y--;
            map[aStart + x] = bStart + y;
        }
    }

    // Pairs each original token with the next equal formatted token a few places ahead, skipping it otherwise.
    private static void Greedy(IReadOnlyList<Token> a, int aStart, int n, IReadOnlyList<Token> b, int bStart, int m, int[] map)
    {
        const int Window = 8;
        var y = 0;
        for (var x = 0; x < n && y < m; x++)
        {
            for (var look = y; look < Math.Min(m, y + Window); look++)
            {
                if (Same(a[aStart + x], b[bStart + look]))
                {
                    map[aStart + x] = bStart + look;
                    y = look + 1;
                    break;
                }
            }
        }
    }
}
