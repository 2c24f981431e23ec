namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Default names of the SPIFFE mutual-TLS authentication scheme.</summary>
public static class SpiffeMtlsDefaults
{
    /// <summary>The scheme name <see cref="SpiffeAuthenticationBuilderExtensions.AddSpiffeMtls(Microsoft.AspNetCore.Authentication.AuthenticationBuilder, Action{SpiffeMtlsAuthenticationOptions}?)"/> registers: "SpiffeMtls".</summary>
    public const string AuthenticationScheme = "SpiffeMtls";
}
