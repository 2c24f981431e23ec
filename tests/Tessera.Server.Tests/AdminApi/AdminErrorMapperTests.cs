using Grpc.Core;
using Tessera.Server.AdminApi;
using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.AdminApi;

public sealed class AdminErrorMapperTests
{
    [Fact]
    public void TryMap_DatastoreUnavailable_Unavailable()
    {
        Assert.True(AdminErrorMapper.TryMap(new DataStoreUnavailableException("PostgreSQL database 'tessera' at db:5432 is unavailable: timeout"), out var status));
        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal("datastore unavailable: PostgreSQL database 'tessera' at db:5432 is unavailable: timeout", status.Detail);
    }

    [Fact]
    public void TryMap_Conflict_MapsByKind()
    {
        Assert.True(AdminErrorMapper.TryMap(new DataStoreConflictException(DataStoreConflict.Revision, "x"), out var revision));
        Assert.True(AdminErrorMapper.TryMap(new DataStoreConflictException(DataStoreConflict.DuplicateEntry, "x"), out var duplicate));
        Assert.Equal(StatusCode.Aborted, revision.StatusCode);
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
    }

    [Fact]
    public void TryMap_Unexpected_NotMapped()
    {
        Assert.False(AdminErrorMapper.TryMap(new InvalidOperationException("secret internals"), out _));
    }
}
