using Microsoft.AspNetCore.Authentication;

namespace Tessera.Spiffe.AspNetCore.Authentication;

/// <summary>Options of the SPIFFE mutual-TLS authentication scheme (none beyond the base options today).</summary>
public sealed class SpiffeMtlsAuthenticationOptions : AuthenticationSchemeOptions
{
}
