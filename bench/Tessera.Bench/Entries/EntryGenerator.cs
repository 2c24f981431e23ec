using System.Globalization;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Bench.Entries;

/// <summary>
/// Deterministic, realistic-looking entries: entry <c>i</c> belongs to team <c>i % 50</c>, runs under one of
/// 1,000 agents, and has 2 or 3 selectors (its own uid and binary path; half of each team's entries also the team's namespace).
/// </summary>
internal static class EntryGenerator
{
    public const int Teams = 50;
    public const int Agents = 1_000;

    private const string TrustDomainName = "bench.example.org";

    public static RegistrationEntry Create(int i) => new()
    {
        SpiffeId = SpiffeIdOf(i),
        ParentId = ParentOf(i),
        Selectors = SelectorsOf(i),
        X509SvidTtl = TimeSpan.FromHours(1),
        JwtSvidTtl = TimeSpan.FromMinutes(5),
        Owner = OwnerOf(i),
        Purpose = $"benchmark service {Text(i)}",
    };

    public static SpiffeId SpiffeIdOf(int i) => SpiffeId.Parse($"spiffe://{TrustDomainName}/{TeamOf(i)}/svc{Text(i)}");

    public static SpiffeId ParentOf(int i) => SpiffeId.Parse($"spiffe://{TrustDomainName}/agent/node{Text(i % Agents)}");

    public static string OwnerOf(int i) => TeamOf(i);

    public static Selector Uid(int i) => new("unix", $"uid:{Text(10_000 + i)}");

    public static Selector Namespace(int i) => new("k8s", $"ns:{TeamOf(i)}");

    public static IReadOnlyList<Selector> SelectorsOf(int i)
    {
        var path = new Selector("unix", $"path:/usr/bin/svc{Text(i)}");
        // Alternate by block, not by parity: with 50 teams, parity would give every even team the selector and no odd one.
        return i / Teams % 2 == 0 ? [Uid(i), path, Namespace(i)] : [Uid(i), path];
    }

    private static string TeamOf(int i) => $"team{Text(i % Teams)}";

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
