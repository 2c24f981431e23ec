using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.X509;

/// <summary>
/// Verifies X509-SVIDs presented by peers: the structural rules of the X509-SVID specification, then
/// RFC 5280 path validation to an authority in the X.509 bundle of the leaf's trust domain (X509-SVID §5).
/// </summary>
public static class X509SvidVerifier
{
    /// <summary>Verifies <paramref name="chain"/> (leaf first, then intermediates) at the current time of <paramref name="timeProvider"/>.</summary>
    public static X509SvidVerificationResult Verify(IReadOnlyList<X509Certificate2> chain, IX509BundleSource bundles, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Verify(chain, bundles, timeProvider.GetUtcNow());
    }

    /// <summary>
    /// Verifies <paramref name="chain"/> (leaf first, then intermediates) against the bundle of the leaf's
    /// trust domain, as of <paramref name="at"/>. Never throws for a bad chain: the result says why it failed.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument or a certificate in the chain is null.</exception>
    public static X509SvidVerificationResult Verify(IReadOnlyList<X509Certificate2> chain, IX509BundleSource bundles, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(bundles);
        foreach (var certificate in chain)
        {
            ArgumentNullException.ThrowIfNull(certificate, nameof(chain));
        }

        var check = X509SvidValidator.ValidateChain(chain);
        if (!check.IsValid)
        {
            return X509SvidVerificationResult.Failure(check.Error, check.Message!);
        }

        var trustDomain = check.Id.TrustDomain;
        if (!bundles.TryGetX509Bundle(trustDomain, out var bundle))
        {
            return X509SvidVerificationResult.Failure(X509SvidError.BundleNotFound, X509SvidErrors.BundleNotFound(trustDomain.Name));
        }

        if (bundle.IsEmpty)
        {
            return X509SvidVerificationResult.Failure(X509SvidError.EmptyBundle, X509SvidErrors.EmptyBundle(trustDomain.Name));
        }

        try
        {
            return ValidatePath(chain, bundle, at, check.Id);
        }
        catch (CryptographicException)
        {
            // Fail closed: a certificate the platform cannot process is not a verified one.
            return X509SvidVerificationResult.Failure(X509SvidError.InvalidPath, X509SvidErrors.PlatformFailure);
        }
    }

    private static X509SvidVerificationResult ValidatePath(IReadOnlyList<X509Certificate2> chain, X509Bundle bundle, DateTimeOffset at, SpiffeId id)
    {
        using var x509Chain = new X509Chain();
        var policy = x509Chain.ChainPolicy;

        // X509-SVID §5.1: RFC 5280 path validation, anchored in the trust domain's bundle only, never the
        // system store; the bundle is the whole of what this trust domain trusts.
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(bundle.Authorities.ToArray());
        for (var i = 1; i < chain.Count; i++)
        {
            policy.ExtraStore.Add(chain[i]);
        }

        // SPIFFE has no revocation (short-lived SVIDs instead), and verification must not reach the network:
        // an AIA fetch would let a peer make us issue requests to an address it chose.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = X509VerificationFlags.NoFlag;

        // ChainPolicy.VerificationTime is a DateTime: a Kind of Unspecified would be read as local time, so the
        // instant is passed as UTC. VerificationTimeIgnored must be false or the clock's time is used instead.
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;

        // Build's verdict is not used: the flags of every element decide (see MapFailure), because two of the
        // platform's verdicts are overridden (PartialChain at a non-self-signed anchor, the notAfter second).
        _ = x509Chain.Build(chain[0]);
        var elements = x509Chain.ChainElements;
        try
        {
            var failure = MapFailure(elements, bundle, at);
            if (failure is not null)
            {
                return failure;
            }

            if (elements.Count < 2 || !bundle.Contains(elements[^1].Certificate))
            {
                // The leaf is itself an authority of the bundle (or the platform anchored the path elsewhere):
                // §6 bundles hold CA certificates, and a leaf must be issued by one.
                return X509SvidVerificationResult.Failure(X509SvidError.UnknownAuthority, X509SvidErrors.UnknownAuthority(bundle.TrustDomain.Name));
            }

            return X509SvidVerificationResult.Success(id, [.. elements.Select(e => Original(e.Certificate, chain, bundle))]);
        }
        finally
        {
            // The chain hands out its own certificate instances; the result refers to the caller's and the
            // bundle's instead, so these are released here.
            foreach (var element in elements)
            {
                // Never dispose an instance the caller or the bundle owns, should a platform hand one back.
                if (!chain.Contains(element.Certificate) && !bundle.Authorities.Contains(element.Certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static X509SvidVerificationResult? MapFailure(X509ChainElementCollection elements, X509Bundle bundle, DateTimeOffset at)
    {
        var all = X509ChainStatusFlags.NoError;
        foreach (var element in elements)
        {
            all |= Flags(element.ChainElementStatus);
        }

        // A bundle authority that is not self-signed (an intermediate published as a trust anchor, as go-spiffe
        // and SPIRE's UpstreamAuthority setups allow: every bundle certificate is a root) ends the path without a
        // self-signed certificate. The platform then reports PartialChain although the path reached a trusted
        // certificate; that flag alone is not a failure when the last element is a bundle authority. Signatures,
        // validity and constraints along the path are still reported in the other flags.
        if (elements.Count > 0 && bundle.Contains(elements[^1].Certificate))
        {
            all &= ~X509ChainStatusFlags.PartialChain;
        }

        // RFC 5280 §4.1.2.5: the validity period includes notAfter. OpenSSL (X509Chain on Linux) treats the
        // notAfter second as already expired, so the platform's time verdict is replaced by an exact check of
        // every element of the path against the verification instant.
        all &= ~X509ChainStatusFlags.NotTimeValid;
        if (all == X509ChainStatusFlags.NoError)
        {
            return CheckValidity(elements, at);
        }

        if (all.HasFlag(X509ChainStatusFlags.NotSignatureValid))
        {
            var index = IndexOf(elements, X509ChainStatusFlags.NotSignatureValid);
            return X509SvidVerificationResult.Failure(X509SvidError.BadSignature, X509SvidErrors.BadSignature(index));
        }

        if ((all & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) != 0)
        {
            return X509SvidVerificationResult.Failure(X509SvidError.UnknownAuthority, X509SvidErrors.UnknownAuthority(bundle.TrustDomain.Name));
        }

        if (CheckValidity(elements, at) is { } timeFailure)
        {
            return timeFailure;
        }

        return X509SvidVerificationResult.Failure(X509SvidError.InvalidPath, X509SvidErrors.InvalidPath(all));
    }

    private static X509SvidVerificationResult? CheckValidity(X509ChainElementCollection elements, DateTimeOffset at)
    {
        for (var i = 0; i < elements.Count; i++)
        {
            var certificate = elements[i].Certificate;
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (at < notBefore)
            {
                return X509SvidVerificationResult.Failure(X509SvidError.NotYetValid, X509SvidErrors.NotYetValid(i + 1, notBefore, at));
            }

            if (at > notAfter)
            {
                return X509SvidVerificationResult.Failure(X509SvidError.Expired, X509SvidErrors.Expired(i + 1, notAfter, at));
            }
        }

        return null;
    }

    private static X509ChainStatusFlags Flags(X509ChainStatus[] statuses)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in statuses)
        {
            flags |= status.Status;
        }

        return flags;
    }

    // 1-based position, in the path as built (leaf = 1), of the first element showing the flag.
    private static int IndexOf(X509ChainElementCollection elements, X509ChainStatusFlags flag)
    {
        for (var i = 0; i < elements.Count; i++)
        {
            if (Flags(elements[i].ChainElementStatus).HasFlag(flag))
            {
                return i + 1;
            }
        }

        return elements.Count;
    }

    private static X509Certificate2 Original(X509Certificate2 element, IReadOnlyList<X509Certificate2> chain, X509Bundle bundle)
    {
        var raw = element.RawDataMemory.Span;
        foreach (var certificate in chain)
        {
            if (certificate.RawDataMemory.Span.SequenceEqual(raw))
            {
                return certificate;
            }
        }

        foreach (var authority in bundle.Authorities)
        {
            if (authority.RawDataMemory.Span.SequenceEqual(raw))
            {
                return authority;
            }
        }

        // Unreachable: the platform builds paths only from the presented chain and the custom trust store.
        throw new CryptographicException("path element is neither a presented certificate nor a bundle authority");
    }
}
