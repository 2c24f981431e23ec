using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task SaveKeyJournal_ExpectedVersions_AdvanceOneByOne()
    {
        Assert.Null(await Store.GetKeyJournalAsync("jwt", Ct));

        Assert.Equal(1, await Store.SaveKeyJournalAsync("jwt", new byte[] { 1 }, 0, Ct));
        Assert.Equal(2, await Store.SaveKeyJournalAsync("jwt", new byte[] { 2, 2 }, 1, Ct));

        var journal = await Store.GetKeyJournalAsync("jwt", Ct);
        Assert.Equal(2, journal!.Version);
        Assert.Equal(new byte[] { 2, 2 }, journal.Data.ToArray());
        Assert.Null(await Store.GetKeyJournalAsync("x509-ca", Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public async Task SaveKeyJournal_StaleVersion_ThrowsVersionConflict(long staleVersion)
    {
        await Store.SaveKeyJournalAsync("x509-ca", new byte[] { 1 }, 0, Ct);
        await Store.SaveKeyJournalAsync("x509-ca", new byte[] { 2 }, 1, Ct);

        var exception = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.SaveKeyJournalAsync("x509-ca", new byte[] { 9 }, staleVersion, Ct));

        Assert.Equal(DataStoreConflict.KeyJournalVersion, exception.Conflict);
        Assert.Equal($"key journal 'x509-ca' is no longer at version {staleVersion}: another writer saved it; reload and retry", exception.Message);
        Assert.Equal(new byte[] { 2 }, (await Store.GetKeyJournalAsync("x509-ca", Ct))!.Data.ToArray());
    }

    [Fact]
    public async Task SaveKeyJournal_ConcurrentWritersFromOneVersion_ExactlyOneWins()
    {
        await Store.SaveKeyJournalAsync("jwt", new byte[] { 0 }, 0, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.SaveKeyJournalAsync("jwt", new[] { (byte)i }, 1, Ct);
                return true;
            }
            catch (DataStoreConflictException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
        Assert.Equal(2, (await Store.GetKeyJournalAsync("jwt", Ct))!.Version);
    }
}
