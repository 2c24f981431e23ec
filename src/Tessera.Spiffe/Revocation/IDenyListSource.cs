namespace Tessera.Spiffe.Revocation;

/// <summary>
/// Something that holds the current revocation deny list: the Workload API's <c>DenyListSource</c> (kept up to date
/// by the agent) or a <see cref="StaticDenyListSource"/>. Enforcement points read <see cref="DenyList"/> on every
/// check and subscribe to <see cref="Updated"/> to re-check what they already accepted.
/// </summary>
public interface IDenyListSource
{
    /// <summary>Gets the current deny list (never null; <see cref="Revocation.DenyList.Empty"/> when nothing is revoked).</summary>
    DenyList DenyList { get; }

    /// <summary>Raised after <see cref="DenyList"/> changed, on whatever thread changed it; handlers must not block.</summary>
    event EventHandler? Updated;
}
