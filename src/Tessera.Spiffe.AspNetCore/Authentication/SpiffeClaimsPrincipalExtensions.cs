using System.Security.Claims;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Reads the SPIFFE ID of an authenticated caller.</summary>
public static class SpiffeClaimsPrincipalExtensions
{
    /// <summary>Returns the caller's SPIFFE ID (the <see cref="SpiffeClaimTypes.SpiffeId"/> claim), or null when it has none.</summary>
    /// <param name="principal">The caller, usually <c>HttpContext.User</c>.</param>
    /// <returns>The SPIFFE ID, or null.</returns>
    public static SpiffeId? FindSpiffeId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(SpiffeClaimTypes.SpiffeId)?.Value is { } value && SpiffeId.TryParse(value, out var id) ? id : null;
    }
}
