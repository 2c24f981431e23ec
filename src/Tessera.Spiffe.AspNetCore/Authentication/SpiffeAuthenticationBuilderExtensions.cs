using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Registers the SPIFFE authentication schemes: mutual TLS and JWT-SVID bearer tokens.</summary>
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

    /// <summary>
    /// Adds the <see cref="SpiffeJwtDefaults.AuthenticationScheme"/> scheme: a request with
    /// <c>Authorization: Bearer &lt;JWT-SVID&gt;</c> is authenticated as the token's SPIFFE ID (the same claims as
    /// <c>AddSpiffeMtls</c>, so <c>RequireSpiffeId</c> works) once the token validates against
    /// <see cref="SpiffeJwtAuthenticationOptions.Bundles"/> for <see cref="SpiffeJwtAuthenticationOptions.Audience"/>.
    /// A token carrying <c>cnf.x5t#S256</c> is accepted only over TLS with the client certificate it names.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the audience and bundles (required) and the other options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthenticationBuilder AddSpiffeJwt(this AuthenticationBuilder builder, Action<SpiffeJwtAuthenticationOptions> configure) =>
        builder.AddSpiffeJwt(SpiffeJwtDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the JWT-SVID bearer scheme under the name <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Sets the audience and bundles (required) and the other options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthenticationBuilder AddSpiffeJwt(this AuthenticationBuilder builder, string authenticationScheme, Action<SpiffeJwtAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);

        // AddScheme registers SpiffeJwtAuthenticationOptions.Validate as the options' validation; running it when the
        // host starts makes a misconfiguration fail the start, every problem named, rather than the first request.
        builder.Services.AddOptions<SpiffeJwtAuthenticationOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<SpiffeJwtAuthenticationOptions, SpiffeJwtAuthenticationHandler>(authenticationScheme, configure);
    }
}
