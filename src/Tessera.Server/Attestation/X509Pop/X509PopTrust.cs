using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Attestation.X509Pop;

/// <summary>Loads <c>x509pop_ca_bundle</c>: the CA certificates an operator trusts to vouch for node certificates.</summary>
internal static class X509PopTrust
{
    /// <summary>Reads the PEM (or DER) file; false with a reason when it is missing, empty or malformed.</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out IReadOnlyList<X509Certificate2>? roots, [NotNullWhen(false)] out string? error)
    {
        roots = null;
        if (!File.Exists(path))
        {
            error = $"'{path}' does not exist";
            return false;
        }

        try
        {
            roots = CertificateChain.Load(path);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"'{path}' is not a PEM file of CA certificates: {ex.Message}";
            return false;
        }

        error = null;
        return true;
    }
}
