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

    /// v2 → v3: verification and recovery by email (the account's proven address, mailed
    /// tokens, the mail outbox).
    static let v3 = """
        ALTER TABLE accounts ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1));
        CREATE TABLE email_tokens (
            token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
            account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
            email      TEXT    NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL CHECK (expires_at > created_at)
        ) STRICT, WITHOUT ROWID;
        CREATE UNIQUE INDEX one_email_token_per_purpose ON email_tokens (account_id, purpose);
        CREATE INDEX email_tokens_by_expiry ON email_tokens (expires_at);
        CREATE TABLE mail_outbox (
            id              TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
            account_id      TEXT,
            recipient       TEXT    NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
            purpose         TEXT    NOT NULL CHECK (purpose IN ('verify-email', 'reset-password', 'confirm-email', 'email-changed')),
            sealed_message  BLOB,
            status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            created_at      INTEGER NOT NULL,
            queued_at       INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            finished_at     INTEGER,
            last_error      TEXT    NOT NULL DEFAULT '',
            CHECK ((status = 'pending') = (finished_at IS NULL)),
            CHECK (status = 'sent' OR sealed_message IS NOT NULL)
        ) STRICT;
        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX mail_outbox_by_status ON mail_outbox (status, created_at);
        """

    /// v3 → v4: the second factor (TOTP, recovery codes, pending MFA logins, `amr` of sessions).
    static let v4 = """
        ALTER TABLE accounts ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0 CHECK (mfa_enabled IN (0, 1));
        ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd' CHECK (amr IN ('pwd', 'pwd,otp,mfa', 'pwd,mfa'));
        CREATE TABLE totp_factors (
            account_id    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
            sealed_secret BLOB    NOT NULL,
            confirmed_at  INTEGER,
            last_step     INTEGER NOT NULL DEFAULT -1,
            created_at    INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE recovery_codes (
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            code_hash  BLOB NOT NULL CHECK (length(code_hash) = 32),
            PRIMARY KEY (account_id, code_hash)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE mfa_challenges (
            token_hash    BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
            account_id    TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            client_id     TEXT    NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
            verified_hash TEXT    NOT NULL,
            failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
            created_at    INTEGER NOT NULL,
            expires_at    INTEGER NOT NULL CHECK (expires_at > created_at)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX mfa_challenges_by_expiry ON mfa_challenges (expires_at);
        """

    /// v4 → v5: accounts awaiting lazy migration have no hash (`password_hash` may be NULL).
    /// SQLite changes a column's constraint only by rebuilding the table; the migration runs
    /// with foreign-key checks deferred, so the tables that refer to accounts keep their rows.
    static let v5 = """
        CREATE TABLE accounts_v5 (
            id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
            email         TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
            status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
            password_hash TEXT    CHECK (length(password_hash) > 0),
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
            mfa_enabled   INTEGER NOT NULL DEFAULT 0 CHECK (mfa_enabled IN (0, 1))
        ) STRICT;
        INSERT INTO accounts_v5 SELECT id, email, status, password_hash, created_at, updated_at, email_verified, mfa_enabled
            FROM accounts;
        DROP TABLE accounts;
        ALTER TABLE accounts_v5 RENAME TO accounts;
        """
}
