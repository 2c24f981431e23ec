namespace Tessera.Server.Federation;

/// <summary>The result of one refresh: whether the stored bundle changed, why it failed (null on success), and when to try next.</summary>
internal sealed record RefreshOutcome(bool Updated, string? Error, TimeSpan NextRefresh);
