namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Default names of the JWT-SVID bearer authentication scheme.</summary>
public static class SpiffeJwtDefaults
{
    /// <summary>The scheme name <c>AddSpiffeJwt</c> registers: "SpiffeJwt".</summary>
    public const string AuthenticationScheme = "SpiffeJwt";

    /// <summary>The default longest bearer token accepted, in characters (8 KiB); see <see cref="SpiffeJwtAuthenticationOptions.MaxTokenLength"/>.</summary>
    public const int MaxTokenLength = 8 * 1024;
}
