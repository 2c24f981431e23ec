using System.Data.Common;
using System.Globalization;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    private const int MaxPageSize = 1000;

    public async Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken) =>
        (await CreateEntriesAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    public Task<IReadOnlyList<RegistrationEntry>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken) =>
        InTransactionAsync((connection, transaction) => CreateEntriesAsync(connection, transaction, entries, cancellationToken), cancellationToken);

    internal async Task<IReadOnlyList<RegistrationEntry>> CreateEntriesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        try
        {
            var created = new List<RegistrationEntry>(entries.Count);
            foreach (var entry in entries)
            {
                created.Add(await InsertEntryAsync(connection, transaction, entry, cancellationToken).ConfigureAwait(false));
            }

            return created;
        }
        catch (Exception exception) when (_dialect.IsUniqueViolation(exception))
        {
            throw new DataStoreConflictException(DataStoreConflict.DuplicateEntry,
                "an entry with the same SPIFFE ID, parent ID and selectors already exists", exception);
        }
    }

    public Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(connection => ReadEntryAsync(connection, null, id, cancellationToken), cancellationToken);

    public Task<RegistrationEntry?> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken) =>
        InTransactionAsync((connection, transaction) => UpdateEntryAsync(connection, transaction, entry, cancellationToken), cancellationToken);

    internal async Task<RegistrationEntry?> UpdateEntryAsync(DbConnection connection, DbTransaction transaction, RegistrationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            var canonical = SelectorSet.Canonical(entry.Selectors);
            var parameters = EntryRows.Parameters(entry, canonical);
            parameters.AddRange([("@id", entry.Id), ("@revision", entry.Revision), ("@now", SqlCommands.ToUnixMs(Now()))]);
            var changed = await SqlCommands.ExecuteAsync(connection, transaction, """
                UPDATE entries SET spiffe_id = @spiffe_id, parent_id = @parent_id, selector_hash = @selector_hash,
                    selectors_json = @selectors_json, x509_ttl_s = @x509_ttl_s, jwt_ttl_s = @jwt_ttl_s,
                    dns_names_json = @dns_names_json, admin = @admin, hint = @hint, expires_at = @expires_at,
                    owner = @owner, purpose = @purpose, federates_with_json = @federates_with_json, updated_at = @now, revision = revision + 1
                WHERE id = @id AND revision = @revision
                """, cancellationToken, [.. parameters]).ConfigureAwait(false);
            if (changed == 0)
            {
                var current = await ReadEntryAsync(connection, transaction, entry.Id, cancellationToken).ConfigureAwait(false);
                return current is null
                    ? null
                    : throw new DataStoreConflictException(DataStoreConflict.Revision,
                        $"entry {entry.Id} is at revision {current.Revision.ToString(CultureInfo.InvariantCulture)}, not {entry.Revision.ToString(CultureInfo.InvariantCulture)}: read it again and retry");
            }

            await SqlCommands.ExecuteAsync(connection, transaction, "DELETE FROM entry_selectors WHERE entry_id = @id",
                cancellationToken, ("@id", entry.Id)).ConfigureAwait(false);
            await InsertSelectorsAsync(connection, transaction, entry.Id, canonical, cancellationToken).ConfigureAwait(false);
            return await ReadEntryAsync(connection, transaction, entry.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_dialect.IsUniqueViolation(exception))
        {
            throw new DataStoreConflictException(DataStoreConflict.DuplicateEntry,
                "another entry has the same SPIFFE ID, parent ID and selectors", exception);
        }
    }

    public Task<bool> DeleteEntryAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(connection => DeleteEntryAsync(connection, null, id, cancellationToken), cancellationToken);

    // One statement: the selectors go with it through ON DELETE CASCADE.
    internal static async Task<bool> DeleteEntryAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken) =>
        await SqlCommands.ExecuteAsync(connection, transaction, "DELETE FROM entries WHERE id = @id", cancellationToken, ("@id", id)).ConfigureAwait(false) > 0;

    public Task<long> CountEntriesAsync(EntryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new List<(string Name, object? Value)>();
        var clauses = EntryFilterSql.Clauses(filter, parameters);
        var sql = "SELECT COUNT(*) FROM entries e" + (clauses.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", clauses));
        return RunAsync(async connection => Convert.ToInt64(
            await SqlCommands.ScalarAsync(connection, null, sql, cancellationToken, [.. parameters]).ConfigureAwait(false),
            CultureInfo.InvariantCulture), cancellationToken);
    }

    public async Task<EntryPage> ListEntriesAsync(EntryFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var parameters = new List<(string Name, object? Value)>();
        var clauses = EntryFilterSql.Clauses(filter, parameters);
        if (pageToken is not null)
        {
            clauses.Add("e.id > @after");
            parameters.Add(("@after", PageToken.Decode(pageToken)));
        }

        // One row more than the page tells whether another page follows.
        parameters.Add(("@limit", pageSize + 1));
        var sql = $"SELECT {EntryRows.Columns} FROM entries e" +
            (clauses.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", clauses)) +
            " ORDER BY e.id LIMIT @limit";
        var rows = await RunAsync(connection => SqlCommands.QueryAsync(connection, null, sql, EntryRows.Read, cancellationToken, [.. parameters]),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count <= pageSize)
        {
            return new EntryPage(rows, null);
        }

        rows.RemoveAt(pageSize);
        return new EntryPage(rows, PageToken.Encode(rows[^1].Id));
    }

    private async Task<RegistrationEntry> InsertEntryAsync(DbConnection connection, DbTransaction transaction, RegistrationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var canonical = SelectorSet.Canonical(entry.Selectors);
        var id = Guid.NewGuid().ToString("N");
        var now = Now();
        var parameters = EntryRows.Parameters(entry, canonical);
        parameters.AddRange([("@id", id), ("@now", SqlCommands.ToUnixMs(now))]);
        await SqlCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO entries (id, spiffe_id, parent_id, selector_hash, selectors_json, x509_ttl_s, jwt_ttl_s,
                dns_names_json, admin, hint, expires_at, owner, purpose, federates_with_json, created_at, updated_at, revision)
            VALUES (@id, @spiffe_id, @parent_id, @selector_hash, @selectors_json, @x509_ttl_s, @jwt_ttl_s,
                @dns_names_json, @admin, @hint, @expires_at, @owner, @purpose, @federates_with_json, @now, @now, 1)
            """, cancellationToken, [.. parameters]).ConfigureAwait(false);
        await InsertSelectorsAsync(connection, transaction, id, canonical, cancellationToken).ConfigureAwait(false);
        return entry with
        {
            Id = id,
            Selectors = SelectorSet.FromJson(SelectorSet.ToJson(canonical)),
            X509SvidTtl = TimeSpan.FromSeconds((long)entry.X509SvidTtl.TotalSeconds),
            JwtSvidTtl = TimeSpan.FromSeconds((long)entry.JwtSvidTtl.TotalSeconds),
            ExpiresAt = entry.ExpiresAt is { } expiresAt ? SqlCommands.Truncate(expiresAt) : null,
            CreatedAt = now,
            UpdatedAt = now,
            Revision = 1,
        };
    }

    private static async Task InsertSelectorsAsync(DbConnection connection, DbTransaction transaction, string entryId, List<string> canonical, CancellationToken cancellationToken)
    {
        foreach (var selector in canonical)
        {
            await SqlCommands.ExecuteAsync(connection, transaction, "INSERT INTO entry_selectors (entry_id, selector) VALUES (@id, @selector)",
                cancellationToken, ("@id", entryId), ("@selector", selector)).ConfigureAwait(false);
        }
    }

    internal static async Task<RegistrationEntry?> ReadEntryAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await SqlCommands.QueryAsync(connection, transaction, $"SELECT {EntryRows.Columns} FROM entries e WHERE e.id = @id",
            EntryRows.Read, cancellationToken, ("@id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
