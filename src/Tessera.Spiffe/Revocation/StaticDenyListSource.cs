namespace Tessera.Spiffe.Revocation;

/// <summary>
/// A deny list the host supplies itself: for tests, offline tools, or a host that learns revocations some other
/// way. <see cref="Update"/> replaces the list and raises <see cref="Updated"/>. Thread-safe.
/// </summary>
public sealed class StaticDenyListSource : IDenyListSource
{
    private volatile DenyList _list;

    /// <summary>Creates a source holding <paramref name="list"/> (default: <see cref="Revocation.DenyList.Empty"/>).</summary>
    public StaticDenyListSource(DenyList? list = null)
    {
        _list = list ?? DenyList.Empty;
    }

    /// <inheritdoc/>
    public event EventHandler? Updated;

    /// <inheritdoc/>
    public DenyList DenyList => _list;

    /// <summary>Replaces the list and raises <see cref="Updated"/> on the calling thread.</summary>
    public void Update(DenyList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        _list = list;
        Updated?.Invoke(this, EventArgs.Empty);
    }
}
