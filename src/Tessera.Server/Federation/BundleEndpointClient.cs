using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Tls;

namespace Tessera.Server.Federation;

/// <summary>
/// Fetches bundles over HTTPS. https_spiffe: the endpoint's SVID must chain to the bundle already held for its trust
/// domain and carry exactly the configured endpoint SPIFFE ID (SPIFFE Federation §5.2.2); host names play no part.
/// https_web: the system roots (plus <see cref="FederationOptions.WebCaFile"/>) and the URL's host name (§5.2.1).
/// </summary>
internal sealed class BundleEndpointClient(FederationOptions options, TimeProvider time) : IBundleEndpointClient
{
    /// <summary>A bundle larger than this is refused (the admin API's limit for bundles set by hand).</summary>
    public const int MaxBundleBytes = 1024 * 1024;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly X509Certificate2Collection? _webRoots = LoadRoots(options.WebCaFile);

    public async Task<byte[]> FetchAsync(FederationRelationship relationship, SpiffeBundle? held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        string? rejection = null;
        SslClientAuthenticationOptions ssl;
        if (relationship.Profile == BundleEndpointProfile.HttpsSpiffe)
        {
            if (held is null || held.X509Bundle.IsEmpty)
            {
                throw new BundleFetchException($"no bundle held for '{relationship.TrustDomain}' to authenticate its endpoint; bootstrap it once with 'tessera bundle set --trust-domain {relationship.TrustDomain}'");
            }

            ssl = SpiffeTls.TlsClientOptions(held, PeerAuthorizer.Id(relationship.EndpointSpiffeId!.Value), new SpiffeTlsOptions
            {
                TimeProvider = time,
                OnPeerRejected = r => rejection = r.ToString(),
            });
        }
        else
        {
            ssl = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = _webRoots is null ? null : ValidateWithExtraRoots,
            };
        }

        using var handler = new SocketsHttpHandler { SslOptions = ssl, ConnectTimeout = Timeout, AllowAutoRedirect = false, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = Timeout, MaxResponseContentBufferSize = MaxBundleBytes };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.GetAsync(relationship.BundleEndpointUrl, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new BundleFetchException($"bundle endpoint {relationship.BundleEndpointUrl} answered {(int)response.StatusCode}");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            var why = rejection ?? (ex.InnerException as AuthenticationException)?.Message ?? ex.Message;
            throw new BundleFetchException($"bundle endpoint {relationship.BundleEndpointUrl}: {why}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BundleFetchException($"bundle endpoint {relationship.BundleEndpointUrl}: no answer within {Timeout.TotalSeconds:0}s", ex);
        }
    }

    private bool ValidateWithExtraRoots(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // The host name must still match; only an untrusted root may be cured by the extra roots.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_webRoots!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static X509Certificate2Collection? LoadRoots(string? file)
    {
        if (file is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(file);
        return roots;
    }
}
