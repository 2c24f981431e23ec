using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls.Internal;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tls;

/// <summary>
/// Builds <see cref="SslStream"/> configurations that authenticate with the workload's current X509-SVID and
/// verify peers as SPIFFE peers (go-spiffe's <c>tlsconfig</c>): the peer's chain is checked against the bundle
/// set, never the system store or the host name, and its SPIFFE ID must satisfy a <see cref="PeerAuthorizer"/>.
/// </summary>
/// <remarks>
/// Each call reads the SVID source once, so build the options per connection (Kestrel's
/// <c>TlsHandshakeCallbackOptions</c>, <c>SslStream.AuthenticateAsServerAsync(ServerOptionsSelectionCallback…)</c>,
/// or a <c>SocketsHttpHandler.ConnectCallback</c>) and a rotated SVID is used from the next handshake on,
/// while established connections keep theirs.
/// </remarks>
public static class SpiffeTls
{
    /// <summary>Server side of mutual TLS: presents the current SVID, requires a client SVID and authorizes it.</summary>
    public static SslServerAuthenticationOptions MtlsServerOptions(IX509SvidSource svids, IX509BundleSource bundles, PeerAuthorizer authorizer, SpiffeTlsOptions? options = null) =>
        ServerOptions(svids, new PeerVerifier(Check(bundles), Check(authorizer), options ?? new(), "client"));

    /// <summary>Server side of one-way TLS: presents the current SVID and asks for no client certificate (callers authenticate otherwise, e.g. with a JWT-SVID).</summary>
    public static SslServerAuthenticationOptions TlsServerOptions(IX509SvidSource svids) => ServerOptions(svids, verifier: null);

    /// <summary>Client side of mutual TLS: presents the current SVID and authorizes the server's SPIFFE ID.</summary>
    public static SslClientAuthenticationOptions MtlsClientOptions(IX509SvidSource svids, IX509BundleSource bundles, PeerAuthorizer authorizer, SpiffeTlsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(svids);
        var client = TlsClientOptions(bundles, authorizer, options);
        client.ClientCertificateContext = CertificateContexts.For(svids.GetX509Svid());
        return client;
    }

    /// <summary>Client side of one-way TLS: presents no certificate, authorizes the server's SPIFFE ID.</summary>
    public static SslClientAuthenticationOptions TlsClientOptions(IX509BundleSource bundles, PeerAuthorizer authorizer, SpiffeTlsOptions? options = null)
    {
        var verifier = new PeerVerifier(Check(bundles), Check(authorizer), options ?? new(), "server");
        return new SslClientAuthenticationOptions
        {
            // SNI carries no meaning for SPIFFE peers; a host name is still required by the API, so a fixed one is sent.
            TargetHost = "spiffe",
            RemoteCertificateValidationCallback = verifier.Validate,
            AllowTlsResume = false, // see ServerOptions
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
    }

    /// <summary>Reads the SPIFFE ID of a peer certificate that a SPIFFE TLS configuration already verified.</summary>
    public static bool TryGetPeerId(X509Certificate? certificate, out SpiffeId id)
    {
        id = default;
        if (certificate is null)
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        return SpiffeId.TryParse(leaf.GetNameInfo(X509NameType.UrlName, forIssuer: false), out id);
    }

    private static SslServerAuthenticationOptions ServerOptions(IX509SvidSource svids, PeerVerifier? verifier)
    {
        ArgumentNullException.ThrowIfNull(svids);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = CertificateContexts.For(svids.GetX509Svid()),
            ClientCertificateRequired = verifier is not null,
            RemoteCertificateValidationCallback = verifier is null ? null : verifier.Validate,

            // A resumed session carries the peer's leaf but not the intermediates it sent, so the SVID could not be
            // verified again (a legitimate second connection would be refused), and skipping the check would let a
            // peer whose SVID has since expired or whose authority left the bundle back in. Every handshake is full.
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
    }

    private static T Check<T>(T value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}
