/// The steps that bring a database of an earlier schema version to `schema.sql`, one per
/// version. A new database is created from `schema.sql` at once and skips them.
enum SchemaUpgrades {
    /// v1 → v2: the security review (login addresses, `client_id`, retention).
    static let v2 = """
        ALTER TABLE sessions ADD COLUMN client_id TEXT NOT NULL DEFAULT 'default' CHECK (length(client_id) BETWEEN 1 AND 64);
        CREATE INDEX sessions_by_expiry ON sessions (expires_at);
        CREATE INDEX sessions_by_end ON sessions (ended_at) WHERE ended_at IS NOT NULL;
        CREATE INDEX refresh_tokens_by_use ON refresh_tokens (used_at) WHERE used_at IS NOT NULL;
        CREATE TABLE login_addresses (
            account_id    TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            address       TEXT    NOT NULL,
            last_login_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, address)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX audit_events_by_time ON audit_events (at);
        CREATE TABLE audit_retention (
            id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            purge_before INTEGER NOT NULL
        ) STRICT;
        INSERT INTO audit_retention (id, purge_before) VALUES (1, 0);
        CREATE TRIGGER audit_retention_only_grows BEFORE UPDATE ON audit_retention
        WHEN new.purge_before < old.purge_before
        BEGIN SELECT RAISE(ABORT, 'the audit retention horizon only moves forward'); END;
        DROP TRIGGER audit_events_append_only_delete;
        CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
        WHEN old.at >= (SELECT purge_before FROM audit_retention)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
}
