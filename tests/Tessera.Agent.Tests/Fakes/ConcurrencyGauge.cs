namespace Tessera.Agent.Tests.Fakes;

/// <summary>Counts calls in progress and remembers the highest count seen.</summary>
internal sealed class ConcurrencyGauge
{
    private int _current;
    private int _max;

    public int Current => Volatile.Read(ref _current);

    public int Max => Volatile.Read(ref _max);

    /// <summary>Counts one call in until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _current);
        var seen = Volatile.Read(ref _max);
        while (now > seen)
        {
            var previous = Interlocked.CompareExchange(ref _max, now, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }

        return new Scope(this);
    }

    private sealed class Scope(ConcurrencyGauge gauge) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref gauge._current);
            }
        }
    }
}
