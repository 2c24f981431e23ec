namespace Tessera.Server.Datastore.Internal;

/// <summary>
/// The schema, as ordered versioned migrations. Never edit a released migration: add a new one.
/// Times are Unix milliseconds and booleans 0/1 so one SQL text serves SQLite and PostgreSQL.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "initial schema", """
            CREATE TABLE entries (
                id TEXT {BIN} PRIMARY KEY,
                spiffe_id TEXT NOT NULL,
                parent_id TEXT NOT NULL,
                selector_hash TEXT NOT NULL,
                selectors_json TEXT NOT NULL,
                x509_ttl_s BIGINT NOT NULL,
                jwt_ttl_s BIGINT NOT NULL,
                dns_names_json TEXT NOT NULL,
                admin INTEGER NOT NULL,
                hint TEXT NOT NULL,
                expires_at BIGINT NULL,
                owner TEXT NOT NULL,
                purpose TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                revision BIGINT NOT NULL,
                CONSTRAINT entries_unique_identity UNIQUE (spiffe_id, parent_id, selector_hash)
            );
            CREATE INDEX entries_parent_id ON entries (parent_id);
            CREATE INDEX entries_owner ON entries (owner);
            CREATE TABLE entry_selectors (
                entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
                selector TEXT NOT NULL,
                PRIMARY KEY (entry_id, selector)
            );
            CREATE INDEX entry_selectors_selector ON entry_selectors (selector);
            CREATE TABLE join_tokens (
                token_hash TEXT PRIMARY KEY,
                spiffe_id TEXT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE TABLE agents (
                spiffe_id TEXT {BIN} PRIMARY KEY,
                attestation_type TEXT NOT NULL,
                svid_serial TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                banned INTEGER NOT NULL,
                selectors_json TEXT NOT NULL
            );
            CREATE TABLE bundles (
                trust_domain TEXT {BIN} PRIMARY KEY,
                json TEXT NOT NULL,
                seq BIGINT NOT NULL
            );
            CREATE TABLE key_journals (
                kind TEXT PRIMARY KEY,
                data {BLOB} NOT NULL,
                version BIGINT NOT NULL
            );
            CREATE TABLE issued_svids (
                serial TEXT PRIMARY KEY,
                spiffe_id TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                issued_to TEXT NULL
            );
            CREATE INDEX issued_svids_expires_at ON issued_svids (expires_at);
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                occurred_at BIGINT NOT NULL,
                caller TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                reason TEXT NOT NULL,
                prev_hash TEXT NOT NULL UNIQUE,
                hash TEXT NOT NULL
            );
            """),
        new(2, "index entries by selector set (exact selector filters)", """
            CREATE INDEX entries_selector_hash ON entries (selector_hash);
            """),
        new(3, "agents: previous SVID serial accepted for a grace period after a renewal", """
            ALTER TABLE agents ADD COLUMN prev_svid_serial TEXT NOT NULL DEFAULT '';
            ALTER TABLE agents ADD COLUMN prev_svid_grace_until BIGINT NOT NULL DEFAULT 0;
            """),
        new(4, "entries: trust domains the entry federates with (JSON array of names)", """
            ALTER TABLE entries ADD COLUMN federates_with_json TEXT NOT NULL DEFAULT '[]';
            """),
        new(5, "revocations: revoked X509-SVID serials, JWT-SVID ids and identity-wide JWT cutoffs until natural expiry", """
            CREATE TABLE revocations (
                kind TEXT NOT NULL,
                value TEXT {BIN} NOT NULL,
                spiffe_id TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                revoked_by TEXT NOT NULL,
                revoked_at BIGINT NOT NULL,
                PRIMARY KEY (kind, value)
            );
            CREATE INDEX revocations_expires_at ON revocations (expires_at);
            CREATE INDEX issued_svids_spiffe_id ON issued_svids (spiffe_id);
            CREATE INDEX issued_svids_issued_to ON issued_svids (issued_to);
            """),
        new(6, "issued_svids: signing CA (authority key identifier) and issue time, to know when a tainted CA's SVIDs are all re-issued", """
            ALTER TABLE issued_svids ADD COLUMN authority TEXT NOT NULL DEFAULT '';
            ALTER TABLE issued_svids ADD COLUMN issued_at BIGINT NOT NULL DEFAULT 0;
            CREATE INDEX issued_svids_authority ON issued_svids (authority);
            """),
    ];
}
