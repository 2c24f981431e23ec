using System.Text;
using Tessera.Hosting.Files;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Helper;

/// <summary>
/// The files <c>tessera helper run --write</c> keeps: <c>svid.pem</c> (leaf then intermediates), <c>svid.key</c>
/// (PKCS#8 PEM, 0600), <c>bundle.pem</c> (the SVID's own trust domain) and one <c>federated_bundle_&lt;td&gt;.pem</c>
/// per federated trust domain. Each file is replaced atomically, so a reader sees the old or the new one.
/// </summary>
internal static class SvidFiles
{
    public const string Certificates = "svid.pem";
    public const string Key = "svid.key";
    public const string Bundle = "bundle.pem";

    /// <summary>What a write would produce, without key material, to tell whether anything changed.</summary>
    public static string Fingerprint(X509Svid svid, BundleSet bundles) =>
        svid.Certificate.SerialNumber + "|" + string.Join("|", bundles.TrustDomains.Select(td => td + "=" + BundlePem(bundles, td)));

    public static async Task WriteAsync(string directory, X509Svid svid, BundleSet bundles, CancellationToken cancellationToken)
    {
        AtomicFile.EnsurePrivateDirectory(directory);
        var (chainPem, keyPem) = svid.ExportPem();

        // Key first: a reader that loads svid.pem between the two writes gets a new certificate with the old key
        // either way, but programs reload only after both are written (the reload comes last).
        await AtomicFile.WriteAsync(Path.Combine(directory, Key), Encoding.ASCII.GetBytes(keyPem), cancellationToken).ConfigureAwait(false);
        AtomicFile.Write(Path.Combine(directory, Certificates), chainPem, AtomicFile.PublicMode);
        AtomicFile.Write(Path.Combine(directory, Bundle), BundlePem(bundles, svid.Id.TrustDomain), AtomicFile.PublicMode);
        foreach (var trustDomain in bundles.TrustDomains.Where(td => td != svid.Id.TrustDomain))
        {
            AtomicFile.Write(Path.Combine(directory, $"federated_bundle_{trustDomain}.pem"), BundlePem(bundles, trustDomain), AtomicFile.PublicMode);
        }
    }

    private static string BundlePem(BundleSet bundles, Tessera.Spiffe.Ids.TrustDomain trustDomain) =>
        bundles.TryGetX509Bundle(trustDomain, out var bundle) ? bundle.ToPem() : string.Empty;
}
