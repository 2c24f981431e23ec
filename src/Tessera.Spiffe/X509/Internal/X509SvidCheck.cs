using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>The outcome of a structural check: the leaf's SPIFFE ID, or the rule that was broken.</summary>
internal readonly record struct X509SvidCheck(X509SvidError Error, string? Message, SpiffeId Id)
{
    /// <summary>Gets whether the check passed.</summary>
    public bool IsValid => Error == X509SvidError.None;

    public static X509SvidCheck Valid(SpiffeId id) => new(X509SvidError.None, null, id);

    public static X509SvidCheck Fail(X509SvidError error, string message) => new(error, message, default);
}
