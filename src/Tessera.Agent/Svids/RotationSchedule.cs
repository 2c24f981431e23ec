using Tessera.Agent.Cache;

namespace Tessera.Agent.Svids;

/// <summary>
/// When each cached X509-SVID is renewed: at half of its lifetime, moved by a random amount of up to 10 % of the
/// lifetime either way, drawn once per SVID. Thousands of SVIDs signed in one batch then renew spread over a fifth
/// of their lifetime instead of in the same second, and each still has at least 40 % of its life left as margin.
/// </summary>
internal sealed class RotationSchedule
{
    public const double JitterFraction = 0.10;

    private readonly Dictionary<string, Point> _rotateAt = new(StringComparer.Ordinal);

    /// <summary>The rotation point of <paramref name="svid"/> (stable for the SVID's life).</summary>
    public DateTimeOffset RotateAt(CachedSvid svid) => PointOf(svid).At;

    /// <summary>
    /// The rotation point of <paramref name="svid"/>, brought forward to its re-issue time when its CA is tainted
    /// (emergency rotation; <see cref="TaintedAuthorities.ReissueAt"/>).
    /// </summary>
    public DateTimeOffset RotateAt(CachedSvid svid, TaintedAuthorities tainted)
    {
        ArgumentNullException.ThrowIfNull(tainted);
        var point = PointOf(svid);
        return tainted.ReissueAt(point.AuthorityKeyId, svid.NotBefore, point.TaintUnit) is { } reissue && reissue < point.At ? reissue : point.At;
    }

    /// <summary>Forgets SVIDs that are no longer cached.</summary>
    public void Retain(IEnumerable<CachedSvid> cached)
    {
        var live = cached.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _rotateAt.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _rotateAt.Remove(key);
        }
    }

    private Point PointOf(CachedSvid svid)
    {
        ArgumentNullException.ThrowIfNull(svid);
        var key = Key(svid);
        if (!_rotateAt.TryGetValue(key, out var point))
        {
            // The issuer was read when the SVID was checked: a tainted CA is then a dictionary lookup on every pass.
            point = new Point(Compute(svid.NotBefore, svid.NotAfter, Random.Shared.NextDouble()), svid.AuthorityKeyId, Random.Shared.NextDouble());
            _rotateAt[key] = point;
        }

        return point;
    }

    private static string Key(CachedSvid svid) => svid.EntryId + "/" + svid.Serial;

    /// <summary>Half-life plus <c>(2u - 1) × 10 %</c> of the lifetime, for <paramref name="unit"/> in [0, 1).</summary>
    public static DateTimeOffset Compute(DateTimeOffset notBefore, DateTimeOffset notAfter, double unit)
    {
        var lifetime = notAfter - notBefore;
        var jitter = lifetime * (JitterFraction * ((2 * unit) - 1));
        return notBefore + (lifetime / 2) + jitter;
    }

    private sealed record Point(DateTimeOffset At, string AuthorityKeyId, double TaintUnit);
}
