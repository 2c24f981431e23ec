namespace Tessera.Agent.WorkloadAttestation;

/// <summary>
/// What workload attestation concluded about a caller: its selectors (canonical <c>type:value</c>), or the
/// reason it was refused. <see cref="Problems"/> lists what could not be read (the selectors are then fewer,
/// which can only narrow what the caller matches).
/// </summary>
internal sealed record AttestationResult
{
    private AttestationResult(IReadOnlySet<string> selectors, string? refusal, IReadOnlyList<string> problems)
    {
        Selectors = selectors;
        Refusal = refusal;
        Problems = problems;
    }

    /// <summary>Gets the caller's selectors; empty when refused.</summary>
    public IReadOnlySet<string> Selectors { get; }

    /// <summary>Gets why the caller was refused, or null when it was attested.</summary>
    public string? Refusal { get; }

    /// <summary>Gets the parts of the caller that could not be read, in words an operator can act on.</summary>
    public IReadOnlyList<string> Problems { get; }

    public bool IsRefused => Refusal is not null;

    public static AttestationResult Attested(IReadOnlySet<string> selectors, IReadOnlyList<string> problems) => new(selectors, null, problems);

    public static AttestationResult Refused(string reason, IReadOnlyList<string> problems) =>
        new(new HashSet<string>(StringComparer.Ordinal), reason, problems);
}
