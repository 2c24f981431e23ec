namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>A clock stopped at one instant, so messages that print the verification time can be asserted exactly.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
