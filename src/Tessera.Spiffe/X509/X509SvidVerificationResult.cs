using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.X509;

/// <summary>
/// The outcome of <see cref="X509SvidVerifier.Verify(IReadOnlyList{X509Certificate2}, Bundles.IX509BundleSource, DateTimeOffset)"/>:
/// either a verified SPIFFE ID with the path that proves it, or the reason for rejection.
/// </summary>
public sealed class X509SvidVerificationResult
{
    private X509SvidVerificationResult(X509SvidError error, string? message, SpiffeId id, IReadOnlyList<X509Certificate2> verifiedChain)
    {
        Error = error;
        Message = message;
        Id = id;
        VerifiedChain = verifiedChain;
    }

    /// <summary>Gets whether the SVID was verified; when false, <see cref="Id"/> is the zero value and <see cref="VerifiedChain"/> is empty.</summary>
    public bool IsValid => Error == X509SvidError.None;

    /// <summary>Gets the verified SPIFFE ID of the leaf; the zero value when verification failed.</summary>
    public SpiffeId Id { get; }

    /// <summary>Gets the validated path, leaf first and ending with the trust anchor from the bundle; empty on failure.</summary>
    public IReadOnlyList<X509Certificate2> VerifiedChain { get; }

    /// <summary>Gets why verification failed, or <see cref="X509SvidError.None"/>.</summary>
    public X509SvidError Error { get; }

    /// <summary>Gets a human-readable description of the failure (no key material), or null on success.</summary>
    public string? Message { get; }

    /// <summary>Returns the message on failure, or the verified ID.</summary>
    public override string ToString() => IsValid ? $"verified {Id}" : $"{Error}: {Message}";

    internal static X509SvidVerificationResult Success(SpiffeId id, IReadOnlyList<X509Certificate2> verifiedChain) =>
        new(X509SvidError.None, null, id, verifiedChain);

    internal static X509SvidVerificationResult Failure(X509SvidError error, string message) =>
        new(error, message, default, []);
}
