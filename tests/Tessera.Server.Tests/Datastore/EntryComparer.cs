using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

/// <summary>Compares entries by value, lists included (records compare lists by reference).</summary>
internal sealed class EntryComparer : IEqualityComparer<RegistrationEntry?>
{
    public static readonly EntryComparer Instance = new();

    public bool Equals(RegistrationEntry? x, RegistrationEntry? y) =>
        x is null || y is null
            ? x is null && y is null
            : x with { Selectors = [], DnsNames = [], FederatesWith = [] } == y with { Selectors = [], DnsNames = [], FederatesWith = [] } &&
              x.Selectors.SequenceEqual(y.Selectors) && x.DnsNames.SequenceEqual(y.DnsNames) && x.FederatesWith.SequenceEqual(y.FederatesWith);

    public int GetHashCode(RegistrationEntry? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
}
