using System.Globalization;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    public async Task<KeyJournal?> GetKeyJournalAsync(string kind, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            "SELECT kind, data, version FROM key_journals WHERE kind = @kind",
            r => new KeyJournal(r.GetString(0), (byte[])r.GetValue(1), r.GetInt64(2)), cancellationToken, ("@kind", kind)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<long> SaveKeyJournalAsync(string kind, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var bytes = data.ToArray();
        try
        {
            // Both paths are single statements whose row count tells whether the expected version held.
            var written = await RunAsync(connection => expectedVersion == 0
                ? SqlCommands.ExecuteAsync(connection, null,
                    "INSERT INTO key_journals (kind, data, version) VALUES (@kind, @data, 1)", cancellationToken,
                    ("@kind", kind), ("@data", bytes))
                : SqlCommands.ExecuteAsync(connection, null,
                    "UPDATE key_journals SET data = @data, version = version + 1 WHERE kind = @kind AND version = @expected",
                    cancellationToken, ("@kind", kind), ("@data", bytes), ("@expected", expectedVersion)),
                cancellationToken).ConfigureAwait(false);
            if (written == 0)
            {
                throw VersionConflict(kind, expectedVersion, null);
            }
        }
        catch (Exception exception) when (_dialect.IsUniqueViolation(exception))
        {
            throw VersionConflict(kind, expectedVersion, exception);
        }

        return expectedVersion + 1;
    }

    private static DataStoreConflictException VersionConflict(string kind, long expectedVersion, Exception? inner) =>
        new(DataStoreConflict.KeyJournalVersion,
            $"key journal '{kind}' is no longer at version {expectedVersion.ToString(CultureInfo.InvariantCulture)}: another writer saved it; reload and retry",
            inner);
}
