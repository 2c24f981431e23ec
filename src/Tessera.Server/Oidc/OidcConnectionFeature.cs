namespace Tessera.Server.Oidc;

/// <summary>Set on every connection accepted by the OIDC discovery listener, and only there.</summary>
internal sealed class OidcConnectionFeature
{
}
