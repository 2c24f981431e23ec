namespace Tessera.Policy.Authorization;

/// <summary>A policy that could not be evaluated for a request and was therefore skipped.</summary>
/// <param name="PolicyId">The id of the erroring policy.</param>
/// <param name="Message">What went wrong, for example a type error or a missing attribute.</param>
public sealed record PolicyError(string PolicyId, string Message);
