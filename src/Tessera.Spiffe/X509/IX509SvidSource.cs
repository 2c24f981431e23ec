namespace Tessera.Spiffe.X509;

/// <summary>Supplies the workload's current X509-SVID (go-spiffe's <c>x509svid.Source</c>); the value may change on every call as SVIDs rotate.</summary>
public interface IX509SvidSource
{
    /// <summary>Returns the current X509-SVID. Callers must not dispose it: the source owns it.</summary>
    X509Svid GetX509Svid();
}
