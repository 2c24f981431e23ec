namespace Tessera.Agent.Svids;

/// <summary>A batch of entries with their keys and CSRs generated, ready for one <c>SignX509Svids</c> call.</summary>
internal sealed record PreparedBatch(IReadOnlyList<SvidSigner.Prepared> Items)
{
    /// <summary>Gets how many entries the batch holds.</summary>
    public int Count => Items.Count;
}
