using Microsoft.AspNetCore.Authentication;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Registers the SPIFFE mutual-TLS authentication scheme.</summary>
public static class SpiffeAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="SpiffeMtlsDefaults.AuthenticationScheme"/> scheme: a request on a connection that a
    /// <c>UseSpiffeMtls</c> listener accepted is authenticated as the client's SPIFFE ID (claims
    /// <see cref="SpiffeClaimTypes.SpiffeId"/>, <see cref="SpiffeClaimTypes.TrustDomain"/>, and the name).
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Adjusts the options (optional).</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthenticationBuilder AddSpiffeMtls(this AuthenticationBuilder builder, Action<SpiffeMtlsAuthenticationOptions>? configure = null) =>
        builder.AddSpiffeMtls(SpiffeMtlsDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the SPIFFE mutual-TLS scheme under the name <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Adjusts the options (optional).</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthenticationBuilder AddSpiffeMtls(this AuthenticationBuilder builder, string authenticationScheme, Action<SpiffeMtlsAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        return builder.AddScheme<SpiffeMtlsAuthenticationOptions, SpiffeMtlsAuthenticationHandler>(authenticationScheme, configure);
    }
}
