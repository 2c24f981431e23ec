namespace Tessera.Server.Federation;

/// <summary>How a bundle endpoint authenticates itself (SPIFFE Federation §5.2).</summary>
internal enum BundleEndpointProfile
{
    /// <summary><c>https_spiffe</c>: TLS with an X509-SVID of the endpoint's trust domain, verified against the bundle already held for it.</summary>
    HttpsSpiffe,

    /// <summary><c>https_web</c>: TLS with a Web PKI certificate, verified against the system roots and the URL's host name.</summary>
    HttpsWeb,
}
