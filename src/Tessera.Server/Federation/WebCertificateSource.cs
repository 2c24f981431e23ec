using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Federation;

/// <summary>
/// The operator's web certificate for the https_web bundle endpoint, read from PEM files and re-read when either
/// file changes (certificates renewed by an ACME client are picked up at the next handshake, no restart).
/// </summary>
internal sealed class WebCertificateSource(string certFile, string keyFile)
{
    private readonly Lock _lock = new();
    private (DateTime Cert, DateTime Key) _stamp;
    private SslStreamCertificateContext? _current;

    /// <summary>Gets the context for the next handshake; a broken replacement file keeps the last good certificate in use.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            var stamp = (File.GetLastWriteTimeUtc(certFile), File.GetLastWriteTimeUtc(keyFile));
            lock (_lock)
            {
                if (_current is null || stamp != _stamp)
                {
                    if (TryLoad(certFile, keyFile, out var loaded, out var error))
                    {
                        _current = loaded;
                        _stamp = stamp;
                    }
                    else if (_current is null)
                    {
                        throw new InvalidOperationException($"bundle endpoint web certificate: {error}");
                    }
                }

                return _current;
            }
        }
    }

    /// <summary>Loads the chain (leaf first) and its key; false with the reason when the files do not make a usable pair.</summary>
    public static bool TryLoad(string certFile, string keyFile, [NotNullWhen(true)] out SslStreamCertificateContext? context, [NotNullWhen(false)] out string? error)
    {
        context = null;
        try
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certFile);
            if (chain.Count == 0)
            {
                error = $"'{certFile}' holds no PEM certificate";
                return false;
            }

            using var leaf = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // Re-import so the key is usable by SslStream on every platform (ephemeral PEM keys are not on some).
            var withKey = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
            context = SslStreamCertificateContext.Create(withKey, new X509Certificate2Collection(chain.Skip(1).ToArray()), offline: true);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error = $"cannot load '{certFile}' with key '{keyFile}': {ex.Message}";
            return false;
        }
    }
}
