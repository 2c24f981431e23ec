namespace Tessera.Server.Registration;

/// <summary>A registration entry as an operator asks for it, before validation.</summary>
internal sealed record EntrySpec
{
    public string SpiffeId { get; init; } = string.Empty;
    public string ParentId { get; init; } = string.Empty;
    public IReadOnlyList<(string Type, string Value)> Selectors { get; init; } = [];
    public TimeSpan X509SvidTtl { get; init; }
    public TimeSpan JwtSvidTtl { get; init; }
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public bool Admin { get; init; }
    public string Hint { get; init; } = string.Empty;
    public DateTimeOffset? ExpiresAt { get; init; }
    public string Owner { get; init; } = string.Empty;
    public string Purpose { get; init; } = string.Empty;
    public IReadOnlyList<string> FederatesWith { get; init; } = [];
}
