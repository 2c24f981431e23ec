using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Svids;

/// <summary>
/// The server's tainted CA keys (emergency rotation), as last pushed on Sync: X.509 CAs by subject key identifier
/// with their taint time, JWT keys by kid, and the re-issue delay and window. An SVID whose authority key identifier
/// names a tainted CA is re-issued at <c>taint + delay + u × window</c> (u drawn once per SVID), after the new CA's
/// bundle has reached relying parties, and spread so the re-issues do not reach the server in one instant.
/// Thread-safe; <see cref="WaitForChangeAsync"/> wakes the SVID loops on a change.
/// </summary>
internal sealed class TaintedAuthorities
{
    private readonly Lock _gate = new();
    private State _state = State.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a number that grows with every change.</summary>
    public long Version => Volatile.Read(ref _state).Version;

    /// <summary>Gets how many X.509 CAs are tainted.</summary>
    public int X509Count => Volatile.Read(ref _state).X509.Count;

    /// <summary>Replaces the set with the wire form (a Sync message's <c>tainted</c> field). Malformed items are reported.</summary>
    public void Apply(NodeTaintedAuthorities wire, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(problems);
        var x509 = ImmutableDictionary.CreateBuilder<string, DateTimeOffset>(StringComparer.Ordinal);
        var jwt = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var item in wire.Authorities)
        {
            switch (item.Kind)
            {
                case "x509" when item.Identifier.Length > 0:
                    x509[item.Identifier.ToUpperInvariant()] = DateTimeOffset.FromUnixTimeMilliseconds(item.TaintedAtUnixMs);
                    break;
                case "jwt" when item.Identifier.Length > 0:
                    jwt.Add(item.Identifier);
                    break;
                default:
                    problems.Add($"tainted authority of kind '{item.Kind}'");
                    break;
            }
        }

        TaskCompletionSource wake;
        lock (_gate)
        {
            _state = new State(_state.Version + 1, x509.ToImmutable(), jwt.ToImmutable(), Millis(wire.ReissueDelayMs), Millis(wire.ReissueWindowMs));
            wake = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    /// <summary>
    /// Returns when an SVID valid from <paramref name="notBefore"/> and signed by the CA with
    /// <paramref name="authorityKeyId"/> (upper-case hex) must be re-issued, for a jitter draw <paramref name="unit"/>
    /// in [0, 1); null when that CA is not tainted, or the SVID was issued after the taint (the server signs nothing
    /// with a tainted key, so such an SVID is a race's leftover; re-issuing it again and again would only loop).
    /// </summary>
    public DateTimeOffset? ReissueAt(string authorityKeyId, DateTimeOffset notBefore, double unit)
    {
        ArgumentNullException.ThrowIfNull(authorityKeyId);
        var state = Volatile.Read(ref _state);
        return authorityKeyId.Length > 0 && state.X509.TryGetValue(authorityKeyId, out var taintedAt) && notBefore <= taintedAt
            ? taintedAt + state.Delay + (state.Window * unit)
            : null;
    }

    /// <summary>Returns whether the JWT signing key <paramref name="kid"/> is tainted.</summary>
    public bool IsJwtKeyTainted(string? kid) => kid is not null && Volatile.Read(ref _state).Jwt.Contains(kid);

    /// <summary>Completes when <see cref="Version"/> differs from <paramref name="seenVersion"/>.</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_state.Version != seenVersion)
            {
                return Task.CompletedTask;
            }

            changed = _changed.Task;
        }

        return changed.WaitAsync(cancellationToken);
    }

    /// <summary>Returns the authority key identifier (upper-case hex) of <paramref name="certificate"/>, or empty.</summary>
    public static string AuthorityKeyIdOf(X509Certificate2 certificate) => KeyIdentifiers.Authority(certificate) ?? string.Empty;

    private static TimeSpan Millis(long ms) => ms > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private sealed record State(long Version, ImmutableDictionary<string, DateTimeOffset> X509, ImmutableHashSet<string> Jwt, TimeSpan Delay, TimeSpan Window)
    {
        public static readonly State Empty = new(0, ImmutableDictionary<string, DateTimeOffset>.Empty, [], TimeSpan.Zero, TimeSpan.Zero);
    }
}
