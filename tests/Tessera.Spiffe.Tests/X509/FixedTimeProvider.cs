namespace Tessera.Spiffe.Tests.X509;

/// <summary>A clock stopped at a chosen instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
